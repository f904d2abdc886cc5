//! Who may do what through the API: a role per token (and, later, per user). Read-only callers
//! read; controllers also record facts and work the list; admins also manage tokens and settings.

crate::contact::named_enum! {
    /// What a caller may do.
    Role {
        Admin = "admin",
        Controller = "controller",
        ReadOnly = "read_only" | "readonly" | "read",
    }
}

impl Role {
    /// Whether the role may record facts (payments, promises, disputes, conversations), work the
    /// list and send messages.
    pub fn can_write(self) -> bool {
        matches!(self, Role::Admin | Role::Controller)
    }

    /// Whether the role may manage tokens, users and settings.
    pub fn can_administer(self) -> bool {
        self == Role::Admin
    }
}
