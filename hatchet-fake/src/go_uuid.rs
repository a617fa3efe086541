//! UUIDs read as leniently as the server reads them: Hatchet parses every
//! id (path, query and body) with `github.com/google/uuid`'s `Parse`
//! (`api/v1/server/run/run.go` for path ids; the generated binding and
//! `encoding/json` through `UnmarshalText` for the others).
//!
//! Accepted: the hyphenated form in any case; that form inside any two
//! characters (the wrapping is not checked, so braces are not required);
//! that form after a `urn:uuid:` prefix in any case; 32 bare hex digits.

use uuid::Uuid;

/// Parses `text` as `uuid.Parse` does; the error is its message.
pub(crate) fn parse(text: &str) -> Result<Uuid, String> {
    let bytes = text.as_bytes();
    let hyphenated = match bytes.len() {
        32 => return hex_bytes(bytes).map(Uuid::from_bytes),
        36 => bytes,
        38 => &bytes[1..37],
        45 if bytes[..9].eq_ignore_ascii_case(b"urn:uuid:") => &bytes[9..],
        45 => {
            return Err(format!(
                "invalid urn prefix: {:?}",
                String::from_utf8_lossy(&bytes[..9])
            ));
        }
        other => return Err(format!("invalid UUID length: {other}")),
    };
    if [8, 13, 18, 23].iter().any(|&at| hyphenated[at] != b'-') {
        return Err(INVALID_FORMAT.into());
    }
    let digits: Vec<u8> = hyphenated.iter().copied().filter(|&b| b != b'-').collect();
    if digits.len() != 32 {
        return Err(INVALID_FORMAT.into());
    }
    hex_bytes(&digits).map(Uuid::from_bytes)
}

const INVALID_FORMAT: &str = "invalid UUID format";

/// 32 hex digits (either case) as 16 bytes.
fn hex_bytes(digits: &[u8]) -> Result<[u8; 16], String> {
    let mut out = [0; 16];
    for (slot, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let (Some(high), Some(low)) = (hex(pair[0]), hex(pair[1])) else {
            return Err(INVALID_FORMAT.into());
        };
        *slot = high * 16 + low;
    }
    Ok(out)
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "6e0bb1d4-3c43-4b9c-9a2f-5c2c0c8a1d11";

    #[test]
    fn accepts_every_form_uuid_parse_accepts() {
        let id: Uuid = ID.parse().unwrap();
        for text in [
            ID.to_owned(),
            ID.to_uppercase(),
            format!("{{{ID}}}"),
            format!("x{ID}y"),
            format!("urn:uuid:{ID}"),
            format!("URN:UUID:{ID}"),
            ID.replace('-', ""),
        ] {
            assert_eq!(parse(&text), Ok(id), "{text}");
        }
    }

    #[test]
    fn refuses_with_uuid_parses_messages() {
        assert_eq!(parse("42"), Err("invalid UUID length: 2".into()));
        assert_eq!(parse(""), Err("invalid UUID length: 0".into()));
        assert_eq!(
            parse(&ID.replace('-', "_")),
            Err("invalid UUID format".into())
        );
        assert_eq!(
            parse(&ID.replace('6', "g")),
            Err("invalid UUID format".into())
        );
        assert_eq!(
            parse(&format!("urn:uuix:{ID}")),
            Err("invalid urn prefix: \"urn:uuix:\"".into())
        );
    }
}
