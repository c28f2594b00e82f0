package auth

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
)

// The types in this file that hold secrets implement fmt.Formatter for every
// verb (so %v, %+v, %#v and %s print the same redacted text), slog.LogValuer
// and json.Marshaler, so that no ordinary way of printing them shows a
// secret.

// secretType describes a secret value by its presence and, for keys, its Go
// type, such as "[redacted *rsa.PrivateKey]".
func secretType(value any) string {
	switch v := value.(type) {
	case nil:
		return "<nil>"
	case string:
		if v == "" {
			return `""`
		}
		return "[redacted]"
	default:
		return fmt.Sprintf("[redacted %T]", value)
	}
}

// redactedURL returns raw with any password in it replaced.
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "[invalid URL]"
	}
	return u.Redacted()
}

// String describes the config with its secrets replaced by "[redacted]".
func (c PrivateKeyConfig) String() string {
	return fmt.Sprintf("auth.PrivateKeyConfig{ClientID: %q, Key: %s, KeyID: %q, Algorithm: %q, Scopes: %q, TokenURL: %q, DPoP: %t, DPoPKey: %s, ExpiryDelta: %s}",
		c.ClientID, secretType(c.Key), c.KeyID, c.Algorithm, c.Scopes, redactedURL(c.TokenURL), c.DPoP, secretType(c.DPoPKey), c.ExpiryDelta)
}

// Format writes String for every verb.
func (c PrivateKeyConfig) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue returns the config's fields without secrets.
func (c PrivateKeyConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("client_id", c.ClientID),
		slog.String("key", secretType(c.Key)),
		slog.String("key_id", c.KeyID),
		slog.String("algorithm", c.Algorithm),
		slog.Any("scopes", c.Scopes),
		slog.String("token_url", redactedURL(c.TokenURL)),
		slog.Bool("dpop", c.DPoP),
		slog.String("dpop_key", secretType(c.DPoPKey)),
		slog.Duration("expiry_delta", c.ExpiryDelta),
	)
}

// MarshalJSON encodes the config's fields without secrets.
func (c PrivateKeyConfig) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{
		"ClientID":    c.ClientID,
		"Key":         secretType(c.Key),
		"KeyID":       c.KeyID,
		"Algorithm":   c.Algorithm,
		"Scopes":      c.Scopes,
		"TokenURL":    redactedURL(c.TokenURL),
		"DPoP":        c.DPoP,
		"DPoPKey":     secretType(c.DPoPKey),
		"ExpiryDelta": c.ExpiryDelta.String(),
	})
}

// String describes the config with its secrets replaced by "[redacted]".
func (c ClientSecretConfig) String() string {
	return fmt.Sprintf("auth.ClientSecretConfig{ClientID: %q, ClientSecret: %s, AuthMethod: %q, Scopes: %q, TokenURL: %q, DPoP: %t, DPoPKey: %s, ExpiryDelta: %s}",
		c.ClientID, secretType(c.ClientSecret), c.AuthMethod, c.Scopes, redactedURL(c.TokenURL), c.DPoP, secretType(c.DPoPKey), c.ExpiryDelta)
}

// Format writes String for every verb.
func (c ClientSecretConfig) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue returns the config's fields without secrets.
func (c ClientSecretConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("client_id", c.ClientID),
		slog.String("client_secret", secretType(c.ClientSecret)),
		slog.String("auth_method", string(c.AuthMethod)),
		slog.Any("scopes", c.Scopes),
		slog.String("token_url", redactedURL(c.TokenURL)),
		slog.Bool("dpop", c.DPoP),
		slog.String("dpop_key", secretType(c.DPoPKey)),
		slog.Duration("expiry_delta", c.ExpiryDelta),
	)
}

// MarshalJSON encodes the config's fields without secrets.
func (c ClientSecretConfig) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{
		"ClientID":     c.ClientID,
		"ClientSecret": secretType(c.ClientSecret),
		"AuthMethod":   c.AuthMethod,
		"Scopes":       c.Scopes,
		"TokenURL":     redactedURL(c.TokenURL),
		"DPoP":         c.DPoP,
		"DPoPKey":      secretType(c.DPoPKey),
		"ExpiryDelta":  c.ExpiryDelta.String(),
	})
}

// String names the credential kind and its non-secret settings.
func (c *tokenCredentials) String() string {
	s := c.settings
	return fmt.Sprintf("auth.%s{%s, scopes: %q, dpop: %t}", s.kind, s.describe, s.scopes, s.dpop != nil)
}

// Format writes String for every verb.
func (c *tokenCredentials) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// LogValue returns the value of String.
func (c *tokenCredentials) LogValue() slog.Value { return slog.StringValue(c.String()) }
