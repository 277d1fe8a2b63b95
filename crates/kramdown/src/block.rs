//! kramdown's block parsers but lists, tables, HTML and extensions (parser/kramdown/*.rb:
//! blank_line, eob, paragraph, header, blockquote, codeblock, horizontal_rule, math, footnote,
//! link, abbreviation) with GFM's changes (parser/gfm.rb), and GFM's pass after parsing.
//! STUB: to be written.

use crate::tree::Element;
use crate::Parser;

crate::re!(BLANK_LINE = r"^(?:[ \t]*\n)+");
crate::re!(EOB_MARKER = r"^\^[ \t]*\n");
crate::re!(CODEBLOCK_START = r"^(?:\t| {4})");
crate::re!(FENCED_CODEBLOCK_START = r"^~{3,}");
crate::re!(FENCED_CODEBLOCK_START_GFM = r"^[ ]{0,3}[~`]{3,}");
crate::re!(BLOCKQUOTE_START = r"^ {0,3}>");
crate::re!(ATX_HEADER_START = r"^#{1,6}");
crate::re!(ATX_HEADER_START_GFM = r"^#{1,6}[\t ]+.*\n");
crate::re!(HR_START = r"x\A");
crate::re!(SETEXT_HEADER_START = r"x\A");
crate::re!(BLOCK_MATH_START = r"x\A");
crate::re!(FOOTNOTE_DEFINITION_START = r"x\A");
crate::re!(LINK_DEFINITION_START = r"x\A");
crate::re!(ABBREV_DEFINITION_START = r"x\A");
crate::re!(PARAGRAPH_START = r"^.*\n?");

impl Parser {
    pub(crate) fn parse_blank_line(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_eob_marker(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_codeblock(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_codeblock_fenced(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_blockquote(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_atx_header(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_atx_header_gfm_quirk(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_horizontal_rule(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_setext_header(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_block_math(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_footnote_definition(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_link_definition(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_abbrev_definition(&mut self) -> bool {
        false
    }
    pub(crate) fn parse_paragraph(&mut self) -> bool {
        let line = self.scan_line();
        self.add_text(&line);
        true
    }
    pub(crate) fn correct_abbreviations_attributes(&mut self) {}
    pub(crate) fn replace_abbreviations(&mut self, _el: &mut Element) {}
    pub(crate) fn update_elements(&mut self, _el: &mut Element) {}
}
