//! A blocking XRPC client over the endpoint metadata (feature `client`).
//! Only emitted into the generated crate; not compiled into the generator.
