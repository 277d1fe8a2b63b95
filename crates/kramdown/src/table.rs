//! kramdown's tables (parser/kramdown/table.rb). STUB: to be written.

use crate::Parser;

crate::re!(TABLE_START = r"x\A");

impl Parser {
    pub(crate) fn parse_table(&mut self) -> bool {
        false
    }
}
