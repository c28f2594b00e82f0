package agentpools

//go:generate go tool -modfile=tools/go.mod oapi-codegen -config api/cfg.yaml openapi.yaml
