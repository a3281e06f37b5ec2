//! Reading and writing maps: the versioned JSON envelope, atomic saves and the JSON Schema.

mod json;

pub use json::{
    from_json_str, load, save_atomic, write_atomic, schema_json, to_json_string, FileStamp, LoadError, SaveError,
    CURRENT_VERSION, FORMAT_NAME,
};
