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
}

func (cfg *Config) Validate() error {
	if cfg.ClientConfig.Endpoint == "" {
		return errors.New(`endpoint must be set to the search node's base URL, e.g. "http://127.0.0.1:9200"`)
	}
	u, err := url.Parse(cfg.ClientConfig.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("endpoint %q must be an http:// or https:// URL", cfg.ClientConfig.Endpoint)
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
