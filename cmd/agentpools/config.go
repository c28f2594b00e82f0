package main

import (
	"os"

	"github.com/seed570a29ac/agentpools/auth"
	"strconv"
	"strings"
)

// Names of the environment variables, as Okta's SDKs and its Terraform
// provider spell them.
const (
	envOrgURL            = "OKTA_CLIENT_ORGURL"
	envAuthorizationMode = "OKTA_CLIENT_AUTHORIZATIONMODE"
	envToken             = "OKTA_CLIENT_TOKEN"
	envClientID          = "OKTA_CLIENT_CLIENTID"
	envClientSecret      = "OKTA_CLIENT_CLIENTSECRET"
	envPrivateKey        = "OKTA_CLIENT_PRIVATEKEY"
	envPrivateKeyID      = "OKTA_CLIENT_PRIVATEKEYID"
	envScopes            = "OKTA_CLIENT_SCOPES"
	envDPoP              = "OKTA_CLIENT_DPOP"
)

// Authorization modes of OKTA_CLIENT_AUTHORIZATIONMODE.
const (
	modeSSWS         = "SSWS"
	modePrivateKey   = "PrivateKey"
	modeClientSecret = "ClientSecret"
)

// config is the connection configuration of the API commands.
type config struct {
	orgURL    string
	orgSource string // source of orgURL: "--org" or envOrgURL

	mode string // modeSSWS, modePrivateKey or modeClientSecret

	token        string // API token, for modeSSWS
	clientID     string
	clientSecret string   // for modeClientSecret
	privateKey   []byte   // PEM data, for modePrivateKey
	keyID        string   // kid of privateKey, or "" to send none
	scopes       []string // for the OAuth 2.0 modes
	dpop         bool
}

// loadConfig reads the configuration from the environment through getenv.
// org, when not empty, overrides OKTA_CLIENT_ORGURL. A missing or invalid
// value is a *usageError that names the variable, and never quotes a
// secret.
func loadConfig(getenv func(string) string, org string) (config, error) {
	var c config

	c.orgURL, c.orgSource = org, "--org"
	if c.orgURL == "" {
		c.orgURL, c.orgSource = strings.TrimSpace(getenv(envOrgURL)), envOrgURL
	}
	if c.orgURL == "" {
		return config{}, usagef("", "%s is not set; set it to your Okta org URL, such as https://example.okta.com, or pass --org", envOrgURL)
	}

	mode, err := parseMode(getenv(envAuthorizationMode))
	if err != nil {
		return config{}, err
	}
	c.mode = mode

	dpop, err := parseDPoP(getenv(envDPoP))
	if err != nil {
		return config{}, err
	}
	c.dpop = dpop

	switch c.mode {
	case modeSSWS:
		err = c.loadAPIToken(getenv)
	case modePrivateKey:
		err = c.loadPrivateKey(getenv)
	case modeClientSecret:
		err = c.loadClientSecret(getenv)
	}
	if err != nil {
		return config{}, err
	}
	return c, nil
}

// parseMode returns the canonical spelling of an authorization mode, given
// in any case. An empty value means SSWS.
func parseMode(value string) (string, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return modeSSWS, nil
	}
	for _, mode := range []string{modeSSWS, modePrivateKey, modeClientSecret} {
		if strings.EqualFold(value, mode) {
			return mode, nil
		}
	}
	return "", usagef("", "%s=%q is not supported; use SSWS, PrivateKey or ClientSecret", envAuthorizationMode, value)
}

func parseDPoP(value string) (bool, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return false, nil
	}
	dpop, err := strconv.ParseBool(value)
	if err != nil {
		return false, usagef("", "%s=%q is not a boolean; use true or false", envDPoP, value)
	}
	return dpop, nil
}

func (c *config) loadAPIToken(getenv func(string) string) error {
	if c.dpop {
		return usagef("", "%s=true needs OAuth 2.0: set %s to PrivateKey or ClientSecret, because API tokens cannot be bound with DPoP", envDPoP, envAuthorizationMode)
	}
	c.token = strings.TrimSpace(getenv(envToken))
	if c.token == "" {
		return usagef("", "%s is not set; set it to an Okta API token, or set %s to PrivateKey or ClientSecret for OAuth 2.0", envToken, envAuthorizationMode)
	}
	if strings.ContainsFunc(c.token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return usagef("", "%s contains white space or control characters; an API token has none, so check the value", envToken)
	}
	return nil
}

func (c *config) loadPrivateKey(getenv func(string) string) error {
	if err := c.loadClient(getenv); err != nil {
		return err
	}

	value := strings.TrimSpace(getenv(envPrivateKey))
	if value == "" {
		return usagef("", "%s is not set; set it to a PEM private key or the path of a PEM file, for %s=%s", envPrivateKey, envAuthorizationMode, modePrivateKey)
	}
	key, err := readPrivateKey(value)
	if err != nil {
		return err
	}
	c.privateKey = key
	c.keyID = strings.TrimSpace(getenv(envPrivateKeyID))
	return nil
}

// readPrivateKey returns the PEM data of OKTA_CLIENT_PRIVATEKEY: the value
// itself when it contains a PEM block, else the content of the file it
// names.
func readPrivateKey(value string) ([]byte, error) {
	if strings.Contains(value, "-----BEGIN") {
		// NOTE: CI systems and .env files often store a PEM key on one line
		// with literal \n sequences in place of line breaks.
		if !strings.Contains(value, "\n") {
			value = strings.ReplaceAll(value, `\n`, "\n")
		}
		return []byte(value), nil
	}

	data, err := os.ReadFile(value)
	if err != nil {
		return nil, usagef("", "%s: reading the private key file failed: %v", envPrivateKey, err)
	}
	return data, nil
}

func (c *config) loadClientSecret(getenv func(string) string) error {
	if err := c.loadClient(getenv); err != nil {
		return err
	}

	c.clientSecret = strings.TrimSpace(getenv(envClientSecret))
	if c.clientSecret == "" {
		return usagef("", "%s is not set; set it to the client secret of %s, for %s=%s", envClientSecret, envClientID, envAuthorizationMode, modeClientSecret)
	}
	return nil
}

// loadClient reads the client ID and the scopes of both OAuth 2.0 modes.
func (c *config) loadClient(getenv func(string) string) error {
	c.clientID = strings.TrimSpace(getenv(envClientID))
	if c.clientID == "" {
		return usagef("", "%s is not set; set it to the client ID of your Okta service app, for %s=%s", envClientID, envAuthorizationMode, c.mode)
	}

	// An empty list leaves the default to the auth package:
	// okta.agentPools.read and okta.agentPools.manage.
	c.scopes = parseScopes(getenv(envScopes))
	return nil
}

// parseScopes splits a list of scopes separated by commas, spaces or both.
func parseScopes(value string) []string {
	return strings.FieldsFunc(value, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n'
	})
}

// credentials returns the auth.Credentials of the configured mode. An
// invalid private key is a *usageError naming OKTA_CLIENT_PRIVATEKEY. The
// auth package's errors never contain key material.
func (c config) credentials() (auth.Credentials, error) {
	switch c.mode {
	case modePrivateKey:
		key, err := auth.ParsePrivateKeyPEM(c.privateKey)
		if err != nil {
			return nil, usagef("", "%s: %v", envPrivateKey, err)
		}
		creds, err := auth.PrivateKeyJWT(auth.PrivateKeyConfig{
			ClientID: c.clientID,
			Key:      key,
			KeyID:    c.keyID,
			Scopes:   c.scopes,
			DPoP:     c.dpop,
		})
		if err != nil {
			return nil, usagef("", "invalid %s configuration: %v", modePrivateKey, err)
		}
		return creds, nil

	case modeClientSecret:
		creds, err := auth.ClientSecret(auth.ClientSecretConfig{
			ClientID:     c.clientID,
			ClientSecret: c.clientSecret,
			Scopes:       c.scopes,
			DPoP:         c.dpop,
		})
		if err != nil {
			return nil, usagef("", "invalid %s configuration: %v", modeClientSecret, err)
		}
		return creds, nil

	default:
		return auth.APIToken(c.token), nil
	}
}
