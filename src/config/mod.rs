//! `server.toml`: the file model, parsing with locations, validation, and the JSON Schema.
