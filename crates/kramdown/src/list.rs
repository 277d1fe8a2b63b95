//! kramdown's lists and definition lists (parser/kramdown/list.rb), GFM task lists. STUB.

use crate::Parser;

crate::re!(LIST_START = r"x\A");
crate::re!(DEFINITION_LIST_START = r"x\A");

impl Parser {
    pub(crate) fn parse_list(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_definition_list(&mut self) -> bool {
        false
    }
}
