//! What a scenario runs against: the embedded fake, or a real Hatchet named
//! by the environment.

use std::time::Duration;

use hatchet_fake::FakeHatchet;
use hatchet_scheduled::ClientConfig;
use uuid::Uuid;

/// The workflow the fake registers. A real Hatchet's is `HATCHET_LIVE_WORKFLOW`
/// (the worker in `tests/live/worker/` registers one of this name).
pub const FAKE_WORKFLOW: &str = "live-echo";

/// Which target a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Fake,
    Real,
}

/// Where the target serves and what it takes to talk to it.
pub struct Endpoint {
    pub base_url: String,
    pub token: String,
    pub tenant: Uuid,
    pub workflow: String,
}

/// The workflow only the cron-sync scenario uses, beside `workflow`: a
/// sync looks at every cron of its workflow, so other scenarios' crons
/// must not be there.
pub fn sync_workflow(workflow: &str) -> String {
    format!("{workflow}-sync")
}

/// A running target.
pub enum Target {
    Fake(FakeHatchet),
    Real,
}

impl Target {
    /// The fake, started on the current runtime with [`FAKE_WORKFLOW`].
    pub async fn fake() -> (Self, Endpoint) {
        let fake = FakeHatchet::start().await;
        fake.register_workflow(FAKE_WORKFLOW);
        // Registered a moment later, as the worker registers it: listings
        // newest first then have one order.
        fake.advance_time(Duration::from_millis(5));
        fake.register_workflow(&sync_workflow(FAKE_WORKFLOW));
        let endpoint = Endpoint {
            base_url: fake.base_url().to_owned(),
            token: fake.token().to_owned(),
            tenant: fake.tenant_id(),
            workflow: FAKE_WORKFLOW.to_owned(),
        };
        (Self::Fake(fake), endpoint)
    }

    /// The real Hatchet the environment names, or why the test is skipped:
    /// `HATCHET_LIVE=1`, `HATCHET_CLIENT_TOKEN` (with
    /// `HATCHET_CLIENT_SERVER_URL` and `HATCHET_CLIENT_TENANT_ID` where the
    /// token's claims do not give them) and `HATCHET_LIVE_WORKFLOW`.
    pub fn real() -> Result<(Self, Endpoint), String> {
        if std::env::var("HATCHET_LIVE").as_deref() != Ok("1") {
            return Err("HATCHET_LIVE=1 is not set".into());
        }
        let token = std::env::var("HATCHET_CLIENT_TOKEN")
            .map_err(|_| "HATCHET_CLIENT_TOKEN is not set".to_owned())?;
        let workflow = std::env::var("HATCHET_LIVE_WORKFLOW")
            .map_err(|_| "HATCHET_LIVE_WORKFLOW is not set".to_owned())?;
        let config = ClientConfig::from_env().map_err(|e| e.to_string())?;
        let endpoint = Endpoint {
            base_url: config.server_url().to_owned(),
            token,
            tenant: config.tenant_id(),
            workflow,
        };
        Ok((Self::Real, endpoint))
    }

    /// Lets `time` pass for the target: the fake's clock moves and what came
    /// due fires at once; a real Hatchet is waited for.
    pub async fn pass(&self, time: Duration) {
        match self {
            Self::Fake(fake) => {
                fake.advance_time(time);
                fake.fire_due();
            }
            Self::Real => tokio::time::sleep(time).await,
        }
    }
}
