//! kramdown's element tree (kramdown/element.rb): what the parser builds and the converter reads.
//! Types, values and options mirror kramdown's own so that each parser reads like its Ruby.
//! Not for: parsing or writing HTML.

use std::fmt::Write as _;

/// kramdown's element types (`:p`, `:html_element`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    Root,
    Blank,
    Text,
    /// Text of a block not yet parsed for spans (`:raw_text`).
    RawText,
    P,
    Header,
    Blockquote,
    Codeblock,
    Codespan,
    Hr,
    Ul,
    Ol,
    Li,
    Dl,
    Dt,
    Dd,
    Table,
    Thead,
    Tbody,
    Tfoot,
    Tr,
    Td,
    Math,
    Footnote,
    FootnoteDef,
    Abbreviation,
    A,
    Img,
    Em,
    Strong,
    Br,
    Entity,
    SmartQuote,
    TypographicSym,
    HtmlElement,
    XmlComment,
    XmlPi,
    Raw,
    Comment,
    Eob,
    Temp,
}

impl Type {
    /// kramdown's name of the type, as `inspect` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Type::Root => "root",
            Type::Blank => "blank",
            Type::Text => "text",
            Type::RawText => "raw_text",
            Type::P => "p",
            Type::Header => "header",
            Type::Blockquote => "blockquote",
            Type::Codeblock => "codeblock",
            Type::Codespan => "codespan",
            Type::Hr => "hr",
            Type::Ul => "ul",
            Type::Ol => "ol",
            Type::Li => "li",
            Type::Dl => "dl",
            Type::Dt => "dt",
            Type::Dd => "dd",
            Type::Table => "table",
            Type::Thead => "thead",
            Type::Tbody => "tbody",
            Type::Tfoot => "tfoot",
            Type::Tr => "tr",
            Type::Td => "td",
            Type::Math => "math",
            Type::Footnote => "footnote",
            Type::FootnoteDef => "footnote_def",
            Type::Abbreviation => "abbreviation",
            Type::A => "a",
            Type::Img => "img",
            Type::Em => "em",
            Type::Strong => "strong",
            Type::Br => "br",
            Type::Entity => "entity",
            Type::SmartQuote => "smart_quote",
            Type::TypographicSym => "typographic_sym",
            Type::HtmlElement => "html_element",
            Type::XmlComment => "xml_comment",
            Type::XmlPi => "xml_pi",
            Type::Raw => "raw",
            Type::Comment => "comment",
            Type::Eob => "eob",
            Type::Temp => "temp",
        }
    }

    /// The category a type always has (`Element::CATEGORY`), if it has a fixed one.
    pub fn fixed_category(self) -> Option<Category> {
        use Type::*;
        match self {
            Blank | P | Header | Blockquote | Codeblock | Ul | Ol | Li | Dl | Dt | Dd | Table
            | Td | Hr => Some(Category::Block),
            Text | A | Br | Img | Codespan | Footnote | Em | Strong | Entity | TypographicSym
            | SmartQuote | Abbreviation => Some(Category::Span),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Block,
    Span,
}

/// How an HTML element's content is parsed (`options[:content_model]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentModel {
    Raw,
    Block,
    Span,
}

/// Table column alignment (`options[:alignment]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Default,
    Left,
    Center,
    Right,
}

/// A character reference: its code point and, for a named one kramdown knows, the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entity {
    pub code_point: u32,
    pub name: Option<&'static str>,
}

impl Entity {
    /// kramdown's `Entities.entity(code_point)`: the known entity of that code point (C1 code
    /// points of Windows-1252 stand for their characters), else a nameless one.
    pub fn from_code_point(code_point: u32) -> Entity {
        let code_point = crate::entities::ALIASES
            .iter()
            .find(|(from, _)| *from == code_point)
            .map_or(code_point, |(_, to)| *to);
        let name = crate::entities::NAMED
            .iter()
            .find(|(_, cp)| *cp == code_point)
            .map(|(name, _)| *name);
        Entity { code_point, name }
    }

    /// kramdown's `Entities.entity(name)`, for a name it knows.
    pub fn from_name(name: &str) -> Option<Entity> {
        let named = crate::entities::NAMED;
        let i = named.binary_search_by(|(n, _)| (*n).cmp(name)).ok()?;
        Some(Entity {
            code_point: named[i].1,
            name: Some(named[i].0),
        })
    }

    /// The character, when the code point is one.
    pub fn char(&self) -> Option<char> {
        char::from_u32(self.code_point)
    }
}

/// An element's value: text for most types, the tag name of an `:html_element`, an entity, or
/// the symbol name of a `:smart_quote` / `:typographic_sym` (`"lsquo"`, `"mdash"`, `"laquo_space"`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    #[default]
    None,
    Str(String),
    Entity(Entity),
}

impl Value {
    pub fn as_str(&self) -> &str {
        match self {
            Value::Str(s) => s,
            _ => "",
        }
    }
}

/// An inline attribute list as parsed (`{: #id .class key="v" ref}`): attributes in order
/// (classes already joined by spaces under `class`), and the names of ALDs it refers to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ial {
    pub attrs: Vec<(String, String)>,
    pub refs: Vec<String>,
}

/// The options kramdown keeps on an element, as fields: those most elements have inline, the
/// rest (headers', tables', code's, definitions') behind one box, so that an element stays small
/// (the parser moves elements around a great deal).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ElOptions {
    /// The source line the element starts at (`:location`).
    pub location: u32,
    pub category: Option<Category>,
    pub content_model: Option<ContentModel>,
    /// An HTML element written as `<x/>` or a void element (`:is_closed`).
    pub is_closed: bool,
    /// A paragraph written without `<p>` (first of a tight list item, `:transparent`).
    pub transparent: bool,
    /// A header's level (`:level`).
    pub level: u8,
    /// A list item's first block is a paragraph written as such (`:first_as_para`).
    pub first_as_para: bool,
    /// `:parse_type` of an HTML element parsed with `markdown="…"`, when set.
    pub parse_type: Option<ContentModel>,
    pub ial: Option<Box<Ial>>,
    rare: Option<Box<Rare>>,
}

/// The options few elements have.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rare {
    /// The text of a header (or `dt`) as written, for its id (`:raw_text`).
    pub raw_text: Option<String>,
    /// A table's column alignments (`:alignment`).
    pub alignment: Vec<Align>,
    /// A code block's or span's language from a fence (`:lang`).
    pub lang: Option<String>,
    /// The name of a footnote, a `:raw` element's types (`:type`), an extension's name.
    pub name: Option<String>,
    /// What a `:raw` element is for (`options[:type]`, e.g. `["html"]`).
    pub types: Vec<String>,
    /// The text an `:html_element`, `:smart_quote`, … was written as, where the converter needs it.
    pub original: Option<String>,
}

static NO_RARE: Rare = Rare {
    raw_text: None,
    alignment: Vec::new(),
    lang: None,
    name: None,
    types: Vec::new(),
    original: None,
};

impl ElOptions {
    /// The options few elements have (all unset when none is).
    pub fn rare(&self) -> &Rare {
        self.rare.as_deref().unwrap_or(&NO_RARE)
    }

    /// The options few elements have, to set one.
    pub fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_default()
    }
}

/// One node of the tree (`Kramdown::Element`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub kind: Type,
    pub value: Value,
    /// HTML attributes in the order they were given (`attr`).
    pub attr: Vec<(String, String)>,
    pub options: ElOptions,
    pub children: Vec<Element>,
}

impl Element {
    pub fn new(kind: Type) -> Element {
        Element {
            kind,
            value: Value::None,
            attr: Vec::new(),
            options: ElOptions::default(),
            children: Vec::new(),
        }
    }

    pub fn with_value(kind: Type, value: impl Into<String>) -> Element {
        let mut el = Element::new(kind);
        el.value = Value::Str(value.into());
        el
    }

    pub fn at(mut self, location: u32) -> Element {
        self.options.location = location;
        self
    }

    /// `Element.category(el)`: the fixed category of the type, else `options[:category]`.
    pub fn category(&self) -> Option<Category> {
        self.kind.fixed_category().or(self.options.category)
    }

    pub fn is_block(&self) -> bool {
        self.category() == Some(Category::Block)
    }

    pub fn is_span(&self) -> bool {
        self.category() == Some(Category::Span)
    }

    pub fn value_str(&self) -> &str {
        self.value.as_str()
    }

    /// The text value, to append to (a `Value::None` becomes an empty string).
    pub fn value_mut(&mut self) -> &mut String {
        if !matches!(self.value, Value::Str(_)) {
            self.value = Value::Str(String::new());
        }
        match &mut self.value {
            Value::Str(s) => s,
            _ => unreachable!(),
        }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attr
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets `name` (in place when present, else at the end, as a Ruby hash does).
    pub fn set_attr(&mut self, name: &str, value: impl Into<String>) {
        set_attr(&mut self.attr, name, value.into());
    }

    pub fn remove_attr(&mut self, name: &str) -> Option<String> {
        let i = self.attr.iter().position(|(k, _)| k == name)?;
        Some(self.attr.remove(i).1)
    }

    /// The tree as text, one element a line, indented by depth: what `tools/dump-tree.rb`
    /// prints for kramdown's own tree, so the two can be compared line by line.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        self.dump_into(&mut out, 0);
        out
    }

    fn dump_into(&self, out: &mut String, depth: usize) {
        for _ in 0..depth {
            out.push_str("  ");
        }
        out.push_str(self.kind.name());
        match &self.value {
            Value::None => {}
            Value::Str(s) => {
                let _ = write!(out, " {s:?}");
            }
            Value::Entity(e) => {
                let _ = write!(out, " &{}", e.code_point);
            }
        }
        for (k, v) in &self.attr {
            let _ = write!(out, " {k}={v:?}");
        }
        let o = &self.options;
        let _ = write!(out, " @{}", o.location);
        if self.kind == Type::Header {
            let _ = write!(out, " level={}", o.level);
        }
        if o.transparent {
            out.push_str(" transparent");
        }
        if let Some(c) = o.category {
            let _ = write!(out, " category={c:?}");
        }
        if let Some(c) = o.content_model {
            let _ = write!(out, " content_model={c:?}");
        }
        if !o.rare().alignment.is_empty() {
            let _ = write!(out, " alignment={:?}", o.rare().alignment);
        }
        if let Some(l) = &o.rare().lang {
            let _ = write!(out, " lang={l:?}");
        }
        out.push('\n');
        for child in &self.children {
            child.dump_into(out, depth + 1);
        }
    }
}

/// Sets `name` in an attribute list kept in order.
pub fn set_attr(attr: &mut Vec<(String, String)>, name: &str, value: String) {
    match attr.iter_mut().find(|(k, _)| k == name) {
        Some((_, v)) => *v = value,
        None => attr.push((name.to_owned(), value)),
    }
}
