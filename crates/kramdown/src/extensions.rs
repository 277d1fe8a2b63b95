//! kramdown's attribute lists and extensions (parser/kramdown/extensions.rb). STUB.

use crate::tree::{Category, Ial};
use crate::Parser;

crate::re!(EXT_BLOCK_START = r"x\A");

impl Parser {
    pub(crate) fn parse_block_extensions(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_attribute_list(&mut self, _text: &str, _ial: &mut Ial) {}
    pub(crate) fn parse_extension_start_tag(&mut self, _category: Category) -> bool {
        false
    }
}
