//! TLS as the client sets it up by default: the platform's root
//! certificates, read on the first handshake rather than when the client is
//! built, and verified for real — a certificate from an unknown issuer or
//! for another host name is refused before any request is sent.
//!
//! `fixtures/tls/` holds a test-only CA (`ca.pem`, its key discarded) with
//! two server certificates it signed (for `localhost` and for
//! `other.example`) and a self-signed one for `localhost`, valid 2020–2120.
//! The root store is the CA alone: `SSL_CERT_FILE` points the platform
//! verifier at it, which is why the test runs in a process of its own.

use std::{
    path::PathBuf,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use hatchet_scheduled::Error;
use rustls::{
    CertificateError,
    pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject},
};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};
use tokio_rustls::TlsAcceptor;

use crate::support::*;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tls")
        .join(name)
}

/// An HTTPS server on `localhost` presenting `stem.pem`, answering every
/// request with one scheduled run; counts the requests it read.
async fn https_server(stem: &str) -> (String, Arc<AtomicUsize>) {
    let chain = vec![CertificateDer::from_pem_file(fixture(&format!("{stem}.pem"))).unwrap()];
    let key = PrivateKeyDer::from_pem_file(fixture(&format!("{stem}.key"))).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&requests);
    tokio::spawn(async move {
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            let acceptor = acceptor.clone();
            let counted = Arc::clone(&counted);
            tokio::spawn(async move {
                // A refused handshake ends here: the client sent nothing.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut buf = [0; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                counted.fetch_add(1, Ordering::SeqCst);
                let body = default_run().to_string();
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                     content-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://localhost:{port}"), requests)
}

/// The rustls error behind a transport error (an io error hides the error
/// it wraps from `source()`, so look inside each one).
fn certificate_error(error: &Error) -> CertificateError {
    let Error::Transport { source, .. } = error else {
        panic!("expected a transport error, got {error:?}");
    };
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(source);
    while let Some(err) = next {
        if let Some(rustls::Error::InvalidCertificate(cert)) = err.downcast_ref() {
            return cert.clone();
        }
        next = match err.downcast_ref::<std::io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as _),
            None => err.source(),
        };
    }
    panic!("no certificate error behind {error:?}");
}

#[test]
fn tls_verifies_against_the_platform_roots_loaded_on_first_use() {
    let alone = in_a_process_of_its_own(
        "tls::tls_verifies_against_the_platform_roots_loaded_on_first_use",
        |process| {
            process.env("SSL_CERT_FILE", fixture("ca.pem"));
            // Read as well as the file when set (machines set it to the
            // system's directory, which may hold a self-signed `localhost`
            // certificate).
            process.env_remove("SSL_CERT_DIR");
        },
    );
    if !alone {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (trusted_url, trusted_requests) = https_server("localhost").await;
        let (untrusted_url, untrusted_requests) = https_server("untrusted").await;
        let (misnamed_url, misnamed_requests) = https_server("other-name").await;

        let run = client_without_retries(&trusted_url)
            .get(RUN_ID)
            .await
            .unwrap();
        assert_eq!(run.id, RUN_ID);
        assert_eq!(run.workflow_name, "send-email");
        assert_eq!(trusted_requests.load(Ordering::SeqCst), 1);

        let refused = client_without_retries(&untrusted_url)
            .get(RUN_ID)
            .await
            .unwrap_err();
        assert_eq!(certificate_error(&refused), CertificateError::UnknownIssuer);
        assert_eq!(untrusted_requests.load(Ordering::SeqCst), 0);

        let refused = client_without_retries(&misnamed_url)
            .get(RUN_ID)
            .await
            .unwrap_err();
        assert!(
            matches!(
                certificate_error(&refused),
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. }
            ),
            "{refused:?}"
        );
        assert_eq!(misnamed_requests.load(Ordering::SeqCst), 0);
        assert!(!refused.to_string().contains(TOKEN));
    });
}
