package searchbulkexporter

import (
	"context"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/exporter/exportertest"
)

func writeSecret(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBasicAuthenticationFromPasswordFile(t *testing.T) {
	passwordFile := writeSecret(t, t.TempDir(), "password", "s3cret\n")
	node := &searchNode{}
	e := newTestExporter(t, node, func(c *Config) {
		c.Credentials = CredentialsConfig{Username: "o4o-otelcol", PasswordFile: passwordFile}
	})
	if err := e.pushLogs(context.Background(), sampleLogs()); err != nil {
		t.Fatal(err)
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("o4o-otelcol:s3cret"))
	if node.authorizations[0] != want {
		t.Errorf("Authorization = %q, want %q", node.authorizations[0], want)
	}
}

func TestAPIKeyFromFile(t *testing.T) {
	keyFile := writeSecret(t, t.TempDir(), "api-key", "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==\n")
	node := &searchNode{}
	e := newTestExporter(t, node, func(c *Config) { c.Credentials = CredentialsConfig{APIKeyFile: keyFile} })
	if err := e.pushLogs(context.Background(), sampleLogs()); err != nil {
		t.Fatal(err)
	}
	if want := "ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="; node.authorizations[0] != want {
		t.Errorf("Authorization = %q, want %q", node.authorizations[0], want)
	}
}

func TestRotatedPasswordIsReadAfterARefusal(t *testing.T) {
	passwordFile := writeSecret(t, t.TempDir(), "password", "old")
	node := &searchNode{}
	e := newTestExporter(t, node, func(c *Config) {
		c.Credentials = CredentialsConfig{Username: "o4o", PasswordFile: passwordFile}
	})
	// The node now wants the new password, which the Secret mount delivers.
	writeSecret(t, filepath.Dir(passwordFile), "password", "new")
	node.status = http.StatusUnauthorized
	if err := e.pushLogs(context.Background(), sampleLogs()); err == nil {
		t.Fatal("want a retryable error from the 401")
	}
	node.status = 0
	if err := e.pushLogs(context.Background(), sampleLogs()); err != nil {
		t.Fatal(err)
	}
	if want := "Basic " + base64.StdEncoding.EncodeToString([]byte("o4o:new")); node.authorizations[1] != want {
		t.Errorf("retry sent %q, want the rotated password", node.authorizations[1])
	}
}

func TestMissingOrEmptySecretFileFailsStart(t *testing.T) {
	dir := t.TempDir()
	empty := writeSecret(t, dir, "empty", "\n")
	for name, creds := range map[string]CredentialsConfig{
		"missing password file": {Username: "o4o", PasswordFile: filepath.Join(dir, "absent")},
		"empty api key file":    {APIKeyFile: empty},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			cfg.ClientConfig.Endpoint = "http://127.0.0.1:9200"
			cfg.Credentials = creds
			if err := cfg.Validate(); err != nil {
				t.Fatalf("validate must not read the files: %v", err)
			}
			e := newBulkExporter(cfg, exportertest.NewNopSettings(Type))
			err := e.start(context.Background(), componenttest.NewNopHost())
			if err == nil || !strings.Contains(err.Error(), "credentials.") || !strings.Contains(err.Error(), dir) {
				t.Errorf("err = %v, want it to name the field and the path", err)
			}
		})
	}
}
