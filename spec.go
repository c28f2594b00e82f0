package agentpools

import _ "embed"

// OpenAPI is the OpenAPI 3.0.3 document of the Agent Pools API that this
// module is generated from and that its fake org validates traffic against.
// Callers must not modify the slice.
//
//go:embed openapi.yaml
var OpenAPI []byte
