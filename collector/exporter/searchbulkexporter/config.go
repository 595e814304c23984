// Package searchbulkexporter sends OpenTelemetry log records to the _bulk API
// that Elasticsearch (7.x and later) and OpenSearch share.
package searchbulkexporter

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"go.opentelemetry.io/collector/config/confighttp"
	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/config/configretry"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
)

// Config is the configuration of the search_bulk exporter.
type Config struct {
	// ClientConfig holds the search node's base URL (endpoint), TLS, headers
	// and authentication extension, as for every HTTP client in the collector.
	ClientConfig confighttp.ClientConfig                                  `mapstructure:",squash"`
	QueueConfig  configoptional.Optional[exporterhelper.QueueBatchConfig] `mapstructure:"sending_queue"`
	RetryConfig  configretry.BackOffConfig                                `mapstructure:"retry_on_failure"`

	// LogsIndex is the index log records are written to.
	// @default "o4o-logs"
	LogsIndex string `mapstructure:"logs_index"`

	// LogsIndexDateLayout, when set, is a Go time layout appended to LogsIndex
	// with a dash, computed from each record's timestamp in UTC: "2006.01.02"
	// gives daily indices such as o4o-logs-2026.11.27.
	// @default ""
	LogsIndexDateLayout string `mapstructure:"logs_index_date_layout"`

	// Credentials for a search node with security enabled, read from files
	// (Kubernetes Secret mounts), never written inline in the configuration.
	// The key is not "auth": confighttp already uses that for authenticator
	// extensions, which remain an alternative.
	Credentials CredentialsConfig `mapstructure:"credentials"`
}

// CredentialsConfig selects HTTP basic authentication (username and
// password_file) or an API key (api_key_file); at most one of the two.
type CredentialsConfig struct {
	// Username for basic authentication; not a secret.
	Username string `mapstructure:"username"`
	// PasswordFile is the path of a file holding the password for Username.
	PasswordFile string `mapstructure:"password_file"`
	// APIKeyFile is the path of a file holding an Elasticsearch API key in its
	// encoded form (base64 of "id:api_key", the "encoded" field returned by
	// the create API key API), sent as "Authorization: ApiKey <key>".
	APIKeyFile string `mapstructure:"api_key_file"`
}

func (c CredentialsConfig) isSet() bool {
	return c.Username != "" || c.PasswordFile != "" || c.APIKeyFile != ""
}

// validate checks the combination of fields only: the files are read when the
// exporter starts, so that `o4o-otelcol validate` works where they are not mounted.
func (c CredentialsConfig) validate() error {
	switch {
	case c.APIKeyFile != "" && (c.Username != "" || c.PasswordFile != ""):
		return errors.New("credentials: set either api_key_file or username and password_file, not both")
	case c.Username != "" && c.PasswordFile == "":
		return errors.New("credentials: username needs password_file (the path of a file holding the password)")
	case c.PasswordFile != "" && c.Username == "":
		return errors.New("credentials: password_file needs username")
	}
	return nil
}

func (cfg *Config) Validate() error {
	if cfg.ClientConfig.Endpoint == "" {
		return errors.New(`endpoint must be set to the search node's base URL, e.g. "http://127.0.0.1:9200"`)
	}
	u, err := url.Parse(cfg.ClientConfig.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("endpoint %q must be an http:// or https:// URL", cfg.ClientConfig.Endpoint)
	}
	if err := cfg.Credentials.validate(); err != nil {
		return err
	}
	if cfg.Credentials.isSet() {
		if cfg.ClientConfig.Auth.HasValue() {
			return errors.New("credentials and auth (an authenticator extension) both set: use one")
		}
		for _, h := range cfg.ClientConfig.Headers {
			if strings.EqualFold(h.Name, "Authorization") {
				return errors.New("credentials and an Authorization header both set: use one")
			}
		}
	}
	if err := validateIndexName(cfg.LogsIndex); err != nil {
		return err
	}
	if cfg.LogsIndexDateLayout != "" {
		suffix := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Format(cfg.LogsIndexDateLayout)
		if suffix == cfg.LogsIndexDateLayout || strings.ContainsAny(suffix, ` "*\<|,>/?:#`) {
			return fmt.Errorf("logs_index_date_layout %q must be a Go time layout giving a valid index suffix, e.g. \"2006.01.02\"", cfg.LogsIndexDateLayout)
		}
	}
	return nil
}

// validateIndexName applies the index name rules common to Elasticsearch and OpenSearch.
func validateIndexName(name string) error {
	switch {
	case name == "":
		return errors.New("logs_index must not be empty")
	case name != strings.ToLower(name):
		return fmt.Errorf("logs_index %q must be lower case", name)
	case strings.ContainsAny(name, ` "*\<|,>/?:#`):
		return fmt.Errorf("logs_index %q contains a character that index names do not allow", name)
	case strings.HasPrefix(name, "-") || strings.HasPrefix(name, "_") || strings.HasPrefix(name, "+"):
		return fmt.Errorf("logs_index %q must not start with '-', '_' or '+'", name)
	}
	return nil
}
