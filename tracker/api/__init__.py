"""The JSON API under ``/api/v1``: personal access tokens, problem details, the OpenAPI description
and one module per group of resources."""
