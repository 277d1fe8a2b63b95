//! kramdown's span parsers (parser/kramdown/*.rb) with GFM's. STUB.

use std::sync::Arc;

use crate::scanner::Re;
use crate::{Parser, SpanParser};

/// The regex that finds where any of `parsers` may start, or `stop`.
pub(crate) fn start_re(_parsers: &[SpanParser], stop: Option<&str>) -> Arc<Re> {
    Arc::new(Re::new(stop.unwrap_or(r"x\A")))
}

/// `pattern` compiled once per process.
pub(crate) fn cached_re(pattern: &str) -> Arc<Re> {
    Arc::new(Re::new(pattern))
}

impl Parser {
    pub(crate) fn try_span(&mut self, _parser: SpanParser) -> bool {
        false
    }
}
