package main

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/seed570a29ac/agentpools/auth"
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
	privateKey   []byte   // PEM or JWK data, for modePrivateKey
	keyID        string   // kid of privateKey, or "" for the JWK's own kid or none
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
	if err := checkOrgUserInfo(c.orgURL, c.orgSource); err != nil {
		return config{}, err
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

// checkOrgUserInfo rejects an org URL with user information, such as
// https://user:password@example.okta.com, naming source but not the user
// information, which may be a password. The client library would reject it
// too, but in terms of its Go options.
func checkOrgUserInfo(orgURL, source string) error {
	// The client library reports a URL that does not parse, hiding any "@".
	u, err := url.Parse(orgURL)
	if err == nil && u.User != nil {
		return usagef("", "%s %q contains user information, which is not shown; remove it, because credentials come only from the %s variables, such as %s",
			source, u.Scheme+"://"+u.Host, "OKTA_CLIENT_*", envToken)
	}
	return nil
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
		return usagef("", "%s is not set; set it to a PEM private key, a private JWK, or the path of a file that contains one, for %s=%s", envPrivateKey, envAuthorizationMode, modePrivateKey)
	}
	key, err := readPrivateKey(value)
	if err != nil {
		return err
	}
	c.privateKey = key
	c.keyID = strings.TrimSpace(getenv(envPrivateKeyID))
	return nil
}

// readPrivateKey returns the key data of OKTA_CLIENT_PRIVATEKEY: the value
// itself when it contains a PEM block or is a JSON object (a JWK or a JWK
// set), else the content of the file it names. Its errors never contain the
// value, which may be a key that failed to parse as one.
func readPrivateKey(value string) ([]byte, error) {
	if strings.Contains(value, "-----BEGIN") {
		// NOTE: CI systems and .env files often store a PEM key on one line
		// with literal \n sequences in place of line breaks.
		if !strings.Contains(value, "\n") {
			value = strings.ReplaceAll(value, `\n`, "\n")
		}
		return []byte(value), nil
	}
	if strings.HasPrefix(value, "{") {
		return []byte(value), nil
	}

	data, err := readKeyFile(value)
	if err != nil {
		return nil, usagef("", "%s is neither PEM text, a JWK, nor the path of a readable key file (reading it as a path failed: %v); the value, %d bytes long, is not shown because it may be a key",
			envPrivateKey, err, len(value))
	}
	return data, nil
}

// maxKeyFileBytes bounds the size of a private key file. A PEM RSA key of
// 4096 bits takes about 3.3 KB, and a JWK set with one key about as much.
const maxKeyFileBytes = 64 << 10

// readKeyFile returns the content of the key file at path. Its error never
// contains path, which may be a key given in a form that was not
// recognized.
func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, pathErrorCause(err)
	}
	defer f.Close()

	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileBytes+1))
	if err != nil {
		return nil, pathErrorCause(err)
	}
	if len(data) > maxKeyFileBytes {
		return nil, fmt.Errorf("the file is larger than the limit of %d bytes", maxKeyFileBytes)
	}
	return data, nil
}

// pathErrorCause returns the cause of an *os.PathError without the path, and
// a fixed message for any other error, which might contain the path.
func pathErrorCause(err error) error {
	if pathErr, ok := errors.AsType[*os.PathError](err); ok {
		return pathErr.Err
	}
	return errors.New("unknown error")
}

// isJWK reports whether key data is a JSON object, a JWK or a JWK set,
// rather than PEM.
func isJWK(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(data), []byte("{"))
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
		key, keyID, err := c.parsePrivateKey()
		if err != nil {
			return nil, usagef("", "%s: %v", envPrivateKey, err)
		}
		creds, err := auth.PrivateKeyJWT(auth.PrivateKeyConfig{
			ClientID: c.clientID,
			Key:      key,
			KeyID:    keyID,
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

// parsePrivateKey parses the PEM or JWK data of the private key and returns
// it with its key ID: OKTA_CLIENT_PRIVATEKEYID when set, else the kid of a
// JWK, else "".
func (c config) parsePrivateKey() (crypto.Signer, string, error) {
	if !isJWK(c.privateKey) {
		key, err := auth.ParsePrivateKeyPEM(c.privateKey)
		return key, c.keyID, err
	}

	key, jwkID, err := auth.ParsePrivateKeyJWK(c.privateKey)
	if err != nil {
		return nil, "", err
	}
	if c.keyID != "" {
		return key, c.keyID, nil
	}
	return key, jwkID, nil
}
