//! kramdown's HTML in markdown (parser/kramdown/html.rb, parser/html.rb). STUB.

use crate::{BlockResult, Parser};

crate::re!(HTML_BLOCK_START = r"x\A");

impl Parser {
    pub(crate) fn parse_block_html(&mut self) -> BlockResult {
        BlockResult::NotHere
    }
    pub(crate) fn parse_span_html(&mut self) {}
}
