//! API tokens and idempotent responses on both backends: a token is found by the hash of its
//! secret, listed only in its own organisation, revoked only there; a kept response stays the
//! first one kept.

use super::*;
use chrono::NaiveDateTime;
use overdue_core::access::Role;
use overdue_store::IdempotentResponse;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn a_token_is_found_by_its_hash_used_and_revoked_only_in_its_organisation(store: &mut dyn Store) {
    let ours = organisation(store, "Ours");
    let theirs = organisation(store, "Theirs");
    let created = store.create_token(ours, "ERP", Role::Controller, "ab12", at("2026-11-30 09:00:00")).unwrap();
    assert_eq!((created.tenant, created.role, created.last_used_at), (ours, Role::Controller, None));
    assert_eq!(store.token_by_hash("ab12").unwrap(), Some(created.clone()));
    assert_eq!(store.token_by_hash("ffff").unwrap(), None);
    store.touch_token(created.id, at("2026-11-30 10:00:00")).unwrap();
    assert_eq!(store.tokens(ours).unwrap()[0].last_used_at, Some(at("2026-11-30 10:00:00")));
    assert!(store.tokens(theirs).unwrap().is_empty());
    assert!(!store.revoke_token(theirs, created.id, at("2026-11-30 11:00:00")).unwrap(), "not theirs to revoke");
    assert!(store.revoke_token(ours, created.id, at("2026-11-30 11:00:00")).unwrap());
    assert!(!store.revoke_token(ours, created.id, at("2026-11-30 12:00:00")).unwrap(), "revoked once");
    let revoked = store.token_by_hash("ab12").unwrap().unwrap();
    assert_eq!(revoked.revoked_at, Some(at("2026-11-30 11:00:00")));
}

fn the_first_response_kept_for_a_key_stays(store: &mut dyn Store) {
    let ours = organisation(store, "Ours");
    let theirs = organisation(store, "Theirs");
    let first = IdempotentResponse { request_fingerprint: "f1".into(), status: 201, body: "{\"a\":1}".into() };
    let second = IdempotentResponse { request_fingerprint: "f2".into(), status: 200, body: "{}".into() };
    store.keep_idempotent_response(ours, "k1", &first, at("2026-11-30 09:00:00")).unwrap();
    store.keep_idempotent_response(ours, "k1", &second, at("2026-11-30 09:01:00")).unwrap();
    assert_eq!(store.idempotent_response(ours, "k1").unwrap(), Some(first));
    assert_eq!(store.idempotent_response(theirs, "k1").unwrap(), None, "keys are per organisation");
}

conformance!(
    a_token_is_found_by_its_hash_used_and_revoked_only_in_its_organisation,
    the_first_response_kept_for_a_key_stays,
);
