//! Reading request bodies the way Discord does: every field checked, every error collected.
//!
//! Discord accepts snowflakes and permission bitsets as strings or integers (twilight sends
//! strings), integers as numbers or numeric strings, and distinguishes an absent field from an
//! explicit `null`. [`Fields`] reads one JSON object and reports problems into a [`FormErrors`]
//! under the field's JSON path, so a handler can validate a whole body and answer one 50035 with
//! all of them (notes §3.1 for the leaf codes and messages).

use serde_json::{Map, Value};

use super::error::{ApiError, FormErrors};
use crate::permissions::Permissions;

/// A body field: missing, explicitly `null`, or a (valid) value. Invalid values are reported to
/// the error collector and read as [`Field::Invalid`].
#[derive(Debug, Clone, PartialEq)]
pub enum Field<T> {
    Absent,
    Null,
    Invalid,
    Value(T),
}

impl<T> Field<T> {
    /// The value, if one was given and valid.
    pub fn value(self) -> Option<T> {
        match self {
            Field::Value(value) => Some(value),
            _ => None,
        }
    }
}

/// The fields of one JSON object found at `prefix` in the request body.
pub struct Fields<'v> {
    object: &'v Map<String, Value>,
    prefix: Vec<String>,
}

const REQUIRED: &str = "BASE_TYPE_REQUIRED";

impl<'v> Fields<'v> {
    pub fn new(object: &'v Map<String, Value>, prefix: Vec<String>) -> Self {
        Self { object, prefix }
    }

    /// The JSON path of `key` inside this object.
    pub fn path(&self, key: &str) -> Vec<String> {
        let mut path = self.prefix.clone();
        path.push(key.to_owned());
        path
    }

    pub fn raw(&self, key: &str) -> Field<&'v Value> {
        match self.object.get(key) {
            None => Field::Absent,
            Some(Value::Null) => Field::Null,
            Some(value) => Field::Value(value),
        }
    }

    /// Reports "This field is required" when `key` is absent or null.
    pub fn require(&self, key: &str, errors: &mut FormErrors) -> bool {
        let present = !matches!(self.raw(key), Field::Absent | Field::Null);
        if !present {
            errors.add(&self.path(key), REQUIRED, "This field is required");
        }
        present
    }

    /// A string whose length in characters is within `min..=max`.
    pub fn string(
        &self,
        key: &str,
        min: usize,
        max: usize,
        errors: &mut FormErrors,
    ) -> Field<String> {
        match self.raw(key) {
            Field::Value(Value::String(text)) => {
                let length = text.chars().count();
                if length < min || length > max {
                    let (code, message) = if min == 0 {
                        (
                            "BASE_TYPE_MAX_LENGTH",
                            format!("Must be {max} or fewer in length."),
                        )
                    } else {
                        (
                            "BASE_TYPE_BAD_LENGTH",
                            format!("Must be between {min} and {max} in length."),
                        )
                    };
                    errors.add(&self.path(key), code, &message);
                    Field::Invalid
                } else {
                    Field::Value(text.clone())
                }
            }
            Field::Value(other) => {
                errors.add(
                    &self.path(key),
                    "BASE_TYPE_STRING",
                    &format!("Could not interpret \"{other}\" as string."),
                );
                Field::Invalid
            }
            Field::Absent => Field::Absent,
            _ => Field::Null,
        }
    }

    /// An integer (number or numeric string) within `min..=max`.
    pub fn integer(&self, key: &str, min: i64, max: i64, errors: &mut FormErrors) -> Field<i64> {
        let value = match self.raw(key) {
            Field::Value(value) => value,
            Field::Absent => return Field::Absent,
            _ => return Field::Null,
        };
        let Some(number) = as_integer(value) else {
            errors.add(
                &self.path(key),
                "NUMBER_TYPE_COERCE",
                &format!("Value \"{}\" is not int.", display(value)),
            );
            return Field::Invalid;
        };
        if number < min {
            errors.add(
                &self.path(key),
                "NUMBER_TYPE_MIN",
                &format!("int value should be greater than or equal to {min}."),
            );
            Field::Invalid
        } else if number > max {
            errors.add(
                &self.path(key),
                "NUMBER_TYPE_MAX",
                &format!("int value should be less than or equal to {max}."),
            );
            Field::Invalid
        } else {
            Field::Value(number)
        }
    }

    /// An integer that must be one of `choices`.
    pub fn choice(&self, key: &str, choices: &[i64], errors: &mut FormErrors) -> Field<i64> {
        match self.integer(key, i64::MIN, i64::MAX, errors) {
            Field::Value(number) if !choices.contains(&number) => {
                errors.add(
                    &self.path(key),
                    "BASE_TYPE_CHOICES",
                    &choices_message(choices),
                );
                Field::Invalid
            }
            other => other,
        }
    }

    pub fn boolean(&self, key: &str, errors: &mut FormErrors) -> Field<bool> {
        match self.raw(key) {
            Field::Value(Value::Bool(flag)) => Field::Value(*flag),
            Field::Value(_) => {
                errors.add(
                    &self.path(key),
                    "BASE_TYPE_BOOLEAN",
                    "Must be either true or false.",
                );
                Field::Invalid
            }
            Field::Absent => Field::Absent,
            _ => Field::Null,
        }
    }

    /// A snowflake, as a decimal string or an integer.
    pub fn snowflake(&self, key: &str, errors: &mut FormErrors) -> Field<u64> {
        let value = match self.raw(key) {
            Field::Value(value) => value,
            Field::Absent => return Field::Absent,
            _ => return Field::Null,
        };
        match as_unsigned(value).filter(|id| *id != 0) {
            Some(id) => Field::Value(id),
            None => {
                errors.add(
                    &self.path(key),
                    "NUMBER_TYPE_COERCE",
                    &format!("Value \"{}\" is not snowflake.", display(value)),
                );
                Field::Invalid
            }
        }
    }

    /// The array at `key`, or an error when it is something else.
    pub fn list(&self, key: &str, max: usize, errors: &mut FormErrors) -> Field<&'v Vec<Value>> {
        match self.raw(key) {
            Field::Value(Value::Array(list)) if list.len() > max => {
                errors.add(
                    &self.path(key),
                    "BASE_TYPE_MAX_LENGTH",
                    &format!("Must be {max} or fewer in length."),
                );
                Field::Invalid
            }
            Field::Value(Value::Array(list)) => Field::Value(list),
            Field::Value(_) => {
                errors.add(
                    &self.path(key),
                    "LIST_TYPE_CONVERT",
                    "Only iterables may be used in a ListType",
                );
                Field::Invalid
            }
            Field::Absent => Field::Absent,
            _ => Field::Null,
        }
    }

    /// A list of at most `max` unique snowflakes.
    pub fn snowflake_list(
        &self,
        key: &str,
        max: usize,
        errors: &mut FormErrors,
    ) -> Field<Vec<u64>> {
        let list = match self.list(key, max, errors) {
            Field::Value(list) => list,
            Field::Absent => return Field::Absent,
            Field::Null => return Field::Null,
            Field::Invalid => return Field::Invalid,
        };
        let mut ids = Vec::new();
        let mut valid = true;
        for (index, item) in list.iter().enumerate() {
            let mut path = self.path(key);
            path.push(index.to_string());
            match as_unsigned(item).filter(|id| *id != 0) {
                Some(id) if ids.contains(&id) => {
                    errors.add(&path, "BASE_TYPE_UNIQUE", "Items must be unique.");
                    valid = false;
                }
                Some(id) => ids.push(id),
                None => {
                    errors.add(
                        &path,
                        "NUMBER_TYPE_COERCE",
                        &format!("Value \"{}\" is not snowflake.", display(item)),
                    );
                    valid = false;
                }
            }
        }
        if valid {
            Field::Value(ids)
        } else {
            Field::Invalid
        }
    }

    /// A list of at most `max` strings, each `min_len..=max_len` characters long.
    pub fn string_list(
        &self,
        key: &str,
        max: usize,
        min_len: usize,
        max_len: usize,
        errors: &mut FormErrors,
    ) -> Field<Vec<String>> {
        let list = match self.list(key, max, errors) {
            Field::Value(list) => list,
            Field::Absent => return Field::Absent,
            Field::Null => return Field::Null,
            Field::Invalid => return Field::Invalid,
        };
        let before = errors.clone();
        let mut strings = Vec::new();
        let mut holder = Map::new();
        for (index, item) in list.iter().enumerate() {
            holder.insert(index.to_string(), item.clone());
        }
        let items = Fields::new(&holder, self.path(key));
        for index in 0..list.len() {
            if let Field::Value(text) = items.string(&index.to_string(), min_len, max_len, errors) {
                strings.push(text);
            } else if matches!(items.raw(&index.to_string()), Field::Null) {
                errors.add(
                    &items.path(&index.to_string()),
                    REQUIRED,
                    "This field is required",
                );
            }
        }
        if *errors == before {
            Field::Value(strings)
        } else {
            Field::Invalid
        }
    }

    /// A permission bitset, as a decimal string or an integer.
    pub fn permissions(&self, key: &str, errors: &mut FormErrors) -> Field<Permissions> {
        let value = match self.raw(key) {
            Field::Value(value) => value,
            Field::Absent => return Field::Absent,
            _ => return Field::Null,
        };
        match as_unsigned(value) {
            Some(bits) => Field::Value(Permissions::from_bits(bits)),
            None => {
                errors.add(
                    &self.path(key),
                    "NUMBER_TYPE_COERCE",
                    &format!("Value \"{}\" is not int.", display(value)),
                );
                Field::Invalid
            }
        }
    }
}

/// `Value must be one of {0, 2, 4}.`
pub fn choices_message(choices: &[i64]) -> String {
    let list: Vec<String> = choices.iter().map(i64::to_string).collect();
    format!("Value must be one of {{{}}}.", list.join(", "))
}

/// The body as an object, or the 50035 Discord sends for a body of the wrong shape.
pub fn object(body: &Value) -> Result<&Map<String, Value>, ApiError> {
    body.as_object().ok_or_else(|| {
        ApiError::form(
            &[] as &[&str],
            "DICT_TYPE_CONVERT",
            "Only dictionaries may be used in a DictType",
        )
    })
}

/// The body as an array, or the 50035 Discord sends for a body of the wrong shape.
pub fn array(body: &Value) -> Result<&Vec<Value>, ApiError> {
    body.as_array().ok_or_else(|| {
        ApiError::form(
            &[] as &[&str],
            "LIST_TYPE_CONVERT",
            "Only iterables may be used in a ListType",
        )
    })
}

fn as_integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

fn as_unsigned(value: &Value) -> Option<u64> {
    match value {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

fn display(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn snowflakes_and_permissions_accept_strings_and_integers() {
        let body = json!({"a": "123", "b": 456, "c": "x", "p": "2048", "q": 8});
        let object = body.as_object().unwrap();
        let fields = Fields::new(object, Vec::new());
        let mut errors = FormErrors::default();
        assert_eq!(fields.snowflake("a", &mut errors), Field::Value(123));
        assert_eq!(fields.snowflake("b", &mut errors), Field::Value(456));
        assert_eq!(
            fields.permissions("p", &mut errors).value().unwrap().bits(),
            2048
        );
        assert_eq!(
            fields.permissions("q", &mut errors).value().unwrap().bits(),
            8
        );
        assert!(errors.is_empty());
        assert_eq!(fields.snowflake("c", &mut errors), Field::Invalid);
        assert_eq!(fields.snowflake("missing", &mut errors), Field::Absent);
        assert!(!errors.is_empty());
    }
}
