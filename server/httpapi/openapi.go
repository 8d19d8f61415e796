package httpapi

import (
	_ "embed"
)

// OpenAPIDocument is the API contract (OpenAPI 3.1), served at
// /api/v1/openapi.json. Tests check it against the route table and check
// real answers against it.
//
//go:embed openapi.json
var OpenAPIDocument []byte

func (s *Service) openAPI(c *call) error {
	c.w.Header().Set("Content-Type", "application/json")
	c.w.Header().Set("Cache-Control", "public, max-age=300")
	c.w.Write(OpenAPIDocument)
	return nil
}
