//! The document's root: the default base URL and the authentication scheme.

use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};

use crate::error::{CodegenError, join};

/// The first `servers` URL, which the client will accept at run time: `https`, or `http`
/// on a loopback host (the runtime refuses to send the key anywhere else over http).
pub(super) fn base_url(doc: &OpenAPI) -> Result<String, CodegenError> {
    let server = doc.servers.first().ok_or_else(|| {
        CodegenError::invalid(
            "#/servers",
            "no server: the client needs a default base URL",
        )
    })?;
    if server.variables.as_ref().is_some_and(|v| !v.is_empty()) {
        return Err(CodegenError::unsupported(
            "#/servers/0/variables",
            "server variables",
        ));
    }
    let pointer = "#/servers/0/url";
    let url = server.url.trim_end_matches('/');
    let (scheme, rest) = url.split_once("://").ok_or_else(|| {
        CodegenError::unsupported(
            pointer,
            format!("server URL {url:?}: the client needs an absolute https URL"),
        )
    })?;
    let authority = rest.split('/').next().unwrap_or("");
    let (host, port) = match authority.rsplit_once(':') {
        // `[::1]:8080`, `host:443`; a bare `[::1]` has a colon inside its brackets.
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (authority, None),
    };
    // As the client decides it: `localhost`, an IPv4 loopback address, or `[::1]`.
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback());
    match scheme {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(CodegenError::unsupported(
                pointer,
                format!(
                    "server URL {url:?} is plain http: the client sends the API key only over https (http only to loopback hosts), so it would refuse its own default"
                ),
            ));
        }
        _ => {
            return Err(CodegenError::unsupported(
                pointer,
                format!("server URL {url:?}: the client needs an absolute https URL"),
            ));
        }
    }
    let bad = |why: &str| {
        Err(CodegenError::unsupported(
            pointer,
            format!("server URL {url:?} {why}: the client would refuse it"),
        ))
    };
    if host.is_empty() {
        return bad("has no host");
    }
    if port.is_some_and(|p| p.parse::<u16>().is_err()) {
        return bad("has a port that is not a number from 0 to 65535");
    }
    if authority.contains('@') {
        return bad("carries credentials");
    }
    if url.contains(['?', '#']) {
        return bad("has a query or fragment");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return bad("contains white space or control characters");
    }
    Ok(url.to_owned())
}

/// The runtime sends `Authorization: Bearer <key>`; any other scheme would be ignored.
pub(super) fn check_security(doc: &OpenAPI) -> Result<(), CodegenError> {
    let Some(components) = &doc.components else {
        return Ok(());
    };
    for (name, scheme) in &components.security_schemes {
        let pointer = join("#/components/securitySchemes", name);
        match scheme {
            ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })
                if scheme.eq_ignore_ascii_case("bearer") => {}
            _ => {
                return Err(CodegenError::unsupported(
                    &pointer,
                    "security scheme other than HTTP bearer",
                ));
            }
        }
    }
    Ok(())
}
