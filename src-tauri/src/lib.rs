//! RegDesk desktop shell.
