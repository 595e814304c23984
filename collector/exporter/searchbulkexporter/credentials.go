package searchbulkexporter

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
)

// credentials holds the Authorization header value built from the files named
// in CredentialsConfig. The files are read at start, and again after the node
// answers 401 or 403, so that a rotated Secret is picked up by the next retry
// without a restart.
type credentials struct {
	cfg    CredentialsConfig
	mu     sync.RWMutex
	header string
}

func newCredentials(cfg CredentialsConfig) (*credentials, error) {
	if !cfg.isSet() {
		return nil, nil
	}
	c := &credentials{cfg: cfg}
	if err := c.reload(); err != nil {
		return nil, err
	}
	return c, nil
}

// reload reads the files again. On failure the previous header is kept.
func (c *credentials) reload() error {
	var header string
	if c.cfg.APIKeyFile != "" {
		key, err := readSecretFile("api_key_file", c.cfg.APIKeyFile)
		if err != nil {
			return err
		}
		header = "ApiKey " + key
	} else {
		password, err := readSecretFile("password_file", c.cfg.PasswordFile)
		if err != nil {
			return err
		}
		header = "Basic " + base64.StdEncoding.EncodeToString([]byte(c.cfg.Username+":"+password))
	}
	c.mu.Lock()
	c.header = header
	c.mu.Unlock()
	return nil
}

func (c *credentials) authorization() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.header
}

// readSecretFile returns a file's content without the trailing newline that
// `echo ... > file` and most Secret tooling leave. The error names the field
// and path, never the content.
func readSecretFile(field, path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("credentials.%s: %w", field, err)
	}
	secret := strings.TrimRight(string(b), "\r\n")
	if strings.TrimSpace(secret) == "" {
		return "", errors.New("credentials." + field + ": " + path + " is empty")
	}
	return secret, nil
}
