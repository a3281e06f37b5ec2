//! Reading and writing maps: the versioned JSON envelope, atomic saves and the JSON Schema.

pub mod files;
mod json;
pub mod templates;
mod v1;

pub use json::{
    CURRENT_VERSION, FIRST_VERSION, FORMAT_NAME, FileStamp, LoadError, SaveError, from_json_str,
    load, save_atomic, schema_json, to_json_string, write_atomic, write_atomic_with,
};
