//! `overdue serve`: the JSON API under `/api/v1` with its OpenAPI document, tokens and roles, over
//! the application layer (`overdue-app`). Being built: see issue 15.
