//! The arguments and output of `lexgen install` and `lexgen publish`, and
//! the lockfile check of `lexgen check --lockfile`.

use super::install::Installer;
use super::lockfile::{verify_dirs, Manifest, Mismatch};
use super::publish::Publisher;
use super::resolve::{Network, DEFAULT_PLC};
use super::LifecycleError;
use crate::cli::{EXIT_DRIFT, EXIT_ERROR, EXIT_OK};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The environment variable `publish` reads the password from.
pub const PASSWORD_ENV: &str = "LEXGEN_PASSWORD";

/// Where resolution asks.
#[derive(Debug, Clone, clap::Args)]
pub struct NetworkArgs {
    /// The DNS server for `_lexicon` TXT queries [default: the first
    /// nameserver of /etc/resolv.conf].
    #[arg(long, value_name = "IP:PORT")]
    pub dns: Option<SocketAddr>,
    /// The PLC directory that resolves `did:plc` DIDs.
    #[arg(long, value_name = "URL", default_value = DEFAULT_PLC)]
    pub plc: String,
}

/// Options of `lexgen install`.
#[derive(Debug, Clone, clap::Args)]
pub struct InstallArgs {
    /// NSIDs to install (with every lexicon they reference), in addition to
    /// those already in the manifest; an `at://DID/com.atproto.lexicon.schema/NSID`
    /// URI fetches from that repository, skipping DNS.
    #[arg(value_name = "NSID|AT-URI")]
    pub nsids: Vec<String>,
    /// Directory the lexicons are installed into, laid out by NSID.
    #[arg(long, default_value = "lexicons", value_name = "DIR")]
    pub lexicons: PathBuf,
    /// The manifest and lockfile.
    #[arg(long, default_value = "lexicons.json", value_name = "FILE")]
    pub manifest: PathBuf,
    /// Install nothing and touch no network: exit 1 when a pinned
    /// lexicon's file is missing or its CID differs from the lockfile.
    #[arg(long, conflicts_with = "update")]
    pub ci: bool,
    /// Re-resolve and fetch every lexicon, pinning new CIDs.
    #[arg(long)]
    pub update: bool,
    /// Do not write the manifest.
    #[arg(long)]
    pub no_save: bool,
    #[command(flatten)]
    pub network: NetworkArgs,
}

/// Options of `lexgen publish`. The password is read from the environment
/// variable `LEXGEN_PASSWORD`, never from the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct PublishArgs {
    /// NSIDs to publish [default: every lexicon in the directory].
    #[arg(value_name = "NSID")]
    pub nsids: Vec<String>,
    /// Directory holding the lexicons, laid out by NSID.
    #[arg(long, default_value = "lexicons", value_name = "DIR")]
    pub lexicons: PathBuf,
    /// The PDS of the account that publishes.
    #[arg(long, value_name = "URL")]
    pub pds: String,
    /// The account's handle or DID (its password in `LEXGEN_PASSWORD`).
    #[arg(long, value_name = "HANDLE|DID")]
    pub identifier: String,
    /// Afterwards, check that the `_lexicon` TXT record of each authority
    /// points at the account (warnings only).
    #[arg(long)]
    pub check_dns: bool,
    /// The DNS server for `--check-dns` [default: the first nameserver of
    /// /etc/resolv.conf].
    #[arg(long, value_name = "IP:PORT", requires = "check_dns")]
    pub dns: Option<SocketAddr>,
}

impl NetworkArgs {
    fn network(&self) -> Network {
        let mut net = Network::new();
        net.plc_directory(&self.plc);
        if let Some(dns) = self.dns {
            net.dns_server(dns);
        }
        net
    }
}

fn report(err: &LifecycleError, stderr: &mut dyn Write) -> i32 {
    let _ = match err {
        LifecycleError::Lexicon(d) => writeln!(stderr, "{}", d.render(false)),
        _ => writeln!(stderr, "lexgen: {err}"),
    };
    EXIT_ERROR
}

/// Prints mismatches; the exit code of a lockfile check.
pub fn report_mismatches(manifest: &Path, mismatches: &[Mismatch], stdout: &mut dyn Write) -> i32 {
    if mismatches.is_empty() {
        let _ = writeln!(
            stdout,
            "lexgen: every lexicon matches {}",
            manifest.display()
        );
        return EXIT_OK;
    }
    for m in mismatches {
        let _ = writeln!(stdout, "mismatch: {m}");
    }
    let _ = writeln!(
        stdout,
        "lexgen: {} lexicon(s) differ from {}; run `lexgen install` to restore them, or `lexgen install --update` to pin new versions",
        mismatches.len(),
        manifest.display()
    );
    EXIT_DRIFT
}

/// `lexgen install`.
pub fn run_install(args: &InstallArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let installer = Installer {
        lexicons: args.lexicons.clone(),
        manifest: args.manifest.clone(),
        update: args.update,
        save: !args.no_save,
        network: args.network.network(),
    };
    if args.ci {
        return match installer.verify(&args.nsids) {
            Ok(m) => report_mismatches(&args.manifest, &m, stdout),
            Err(e) => report(&e, stderr),
        };
    }
    match installer.install(&args.nsids) {
        Ok(installed) => {
            for i in &installed {
                let how = match (i.fetched, i.written) {
                    (true, true) => "fetched",
                    (true, false) => "fetched, unchanged",
                    (false, _) => "up to date",
                };
                let _ = writeln!(
                    stdout,
                    "{} {} {} ({how})",
                    i.nsid, i.resolution.cid, i.resolution.uri
                );
            }
            let _ = writeln!(
                stdout,
                "lexgen: {} lexicon(s) in {}, {} written",
                installed.len(),
                args.lexicons.display(),
                installed.iter().filter(|i| i.written).count()
            );
            EXIT_OK
        }
        Err(e) => report(&e, stderr),
    }
}

/// `lexgen publish`.
pub fn run_publish(args: &PublishArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    let Some(password) = std::env::var_os(PASSWORD_ENV) else {
        let _ = writeln!(
            stderr,
            "lexgen: set {PASSWORD_ENV} to the account's password (or an app password)"
        );
        return EXIT_ERROR;
    };
    let publisher = Publisher {
        lexicons: args.lexicons.clone(),
        pds: args.pds.clone(),
        identifier: args.identifier.clone(),
        password: password.to_string_lossy().into_owned(),
        http: Default::default(),
    };
    match publisher.publish(&args.nsids) {
        Ok(published) => {
            for p in &published {
                let _ = writeln!(stdout, "{} {} {}", p.nsid, p.cid, p.uri);
            }
            let _ = writeln!(
                stdout,
                "lexgen: {} lexicon(s) published to {}",
                published.len(),
                args.pds
            );
            if args.check_dns {
                let mut net = Network::new();
                if let Some(dns) = args.dns {
                    net.dns_server(dns);
                }
                for line in super::publish::check_dns(&net, &published) {
                    let _ = match line {
                        Ok(ok) => writeln!(stdout, "dns: {ok}"),
                        Err(problem) => writeln!(stderr, "warning: {problem}"),
                    };
                }
            }
            EXIT_OK
        }
        Err(e) => report(&e, stderr),
    }
}

/// `lexgen check --lockfile FILE`: the offline check of `install --ci`,
/// over every `--lexicons` directory.
pub fn check_lockfile(
    lexicons: &[PathBuf],
    manifest: &Path,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    match Manifest::read(manifest) {
        Ok(Some(m)) => report_mismatches(manifest, &verify_dirs(lexicons, &m), stdout),
        Ok(None) => {
            let _ = writeln!(stderr, "lexgen: {} does not exist", manifest.display());
            EXIT_ERROR
        }
        Err(e) => report(&e, stderr),
    }
}
