"""The catalogue API server (example app shaped like catalogue.data.gouv.fr's server)."""
