package searchbulkexporter

import (
	"strings"
	"testing"

	"go.opentelemetry.io/collector/config/configopaque"
)

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name    string
		mutate  func(*Config)
		wantErr string
	}{
		{name: "valid", mutate: func(c *Config) {}},
		{name: "daily indices", mutate: func(c *Config) { c.LogsIndexDateLayout = "2006.01.02" }},
		{name: "no endpoint", mutate: func(c *Config) { c.ClientConfig.Endpoint = "" }, wantErr: "endpoint must be set"},
		{name: "not a URL", mutate: func(c *Config) { c.ClientConfig.Endpoint = "127.0.0.1:9200" }, wantErr: "http:// or https://"},
		{name: "upper-case index", mutate: func(c *Config) { c.LogsIndex = "Logs" }, wantErr: "lower case"},
		{name: "empty index", mutate: func(c *Config) { c.LogsIndex = "" }, wantErr: "must not be empty"},
		{name: "basic credentials", mutate: func(c *Config) {
			c.Credentials = CredentialsConfig{Username: "o4o", PasswordFile: "/run/secrets/password"}
		}},
		{name: "api key", mutate: func(c *Config) { c.Credentials = CredentialsConfig{APIKeyFile: "/run/secrets/api-key"} }},
		{name: "username without password file", mutate: func(c *Config) { c.Credentials = CredentialsConfig{Username: "o4o"} }, wantErr: "username needs password_file"},
		{name: "password file without username", mutate: func(c *Config) { c.Credentials = CredentialsConfig{PasswordFile: "/p"} }, wantErr: "password_file needs username"},
		{name: "basic and api key", mutate: func(c *Config) {
			c.Credentials = CredentialsConfig{Username: "o4o", PasswordFile: "/p", APIKeyFile: "/k"}
		}, wantErr: "not both"},
		{name: "credentials and authorization header", mutate: func(c *Config) {
			c.Credentials = CredentialsConfig{APIKeyFile: "/k"}
			c.ClientConfig.Headers = configopaque.MapList{{Name: "authorization", Value: "Basic x"}}
		}, wantErr: "Authorization header"},
		{name: "layout without date", mutate: func(c *Config) { c.LogsIndexDateLayout = "daily" }, wantErr: "Go time layout"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := createDefaultConfig().(*Config)
			cfg.ClientConfig.Endpoint = "http://127.0.0.1:9200"
			tc.mutate(cfg)
			err := cfg.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}
