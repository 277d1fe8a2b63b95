#!/usr/bin/env ruby
# frozen_string_literal: true
# The tree (or, with --html, the HTML) Debian's kramdown makes of markdown on stdin, with Jekyll
# 4.3's options, printed as `Element::dump` prints the Rust one:
#   ruby tools/dump-tree.rb < x.md     vs   cargo run -p postdesk-kramdown --example kd -- --tree < x.md
require "kramdown"
require "kramdown-parser-gfm"

OPTIONS = {
  input: "GFM", auto_ids: true, toc_levels: (1..6).to_a, entity_output: :as_char,
  smart_quotes: %w[lsquo rsquo ldquo rdquo], hard_wrap: false, footnote_nr: 1,
  syntax_highlighter: "rouge",
  syntax_highlighter_opts: { default_lang: "plaintext", guess_lang: true },
}.freeze

# Rust's `{:?}` of a string.
def rust_debug(s)
  out = +'"'
  s.each_char do |c|
    out << case c
           when '"' then '\\"'
           when "\\" then "\\\\"
           when "\n" then "\\n"
           when "\t" then "\\t"
           when "\r" then "\\r"
           when "\0" then "\\0"
           else c.ord < 0x20 || c.ord == 0x7f ? format('\\u{%x}', c.ord) : c
           end
  end
  out << '"'
end

def dump(el, depth, out)
  out << ("  " * depth) << el.type.to_s
  v = el.value
  case el.type
  when :footnote then nil
  when :entity then out << " &#{v.code_point}"
  else
    out << " " << rust_debug(v.to_s) unless v.nil?
  end
  el.attr.each { |k, val| out << " #{k}=#{rust_debug(val.to_s)}" }
  o = el.options
  out << " @#{o[:location] || 0}"
  out << " level=#{o[:level]}" if el.type == :header
  out << " transparent" if o[:transparent]
  out << " category=#{o[:category].to_s.capitalize}" if o[:category]
  out << " content_model=#{o[:content_model].to_s.capitalize}" if o[:content_model]
  out << " alignment=[#{o[:alignment].map { |a| a.to_s.capitalize }.join(', ')}]" if o[:alignment] && !o[:alignment].empty?
  out << " lang=#{rust_debug(o[:lang].to_s)}" if o[:lang]
  out << "\n"
  el.children.each { |c| dump(c, depth + 1, out) }
end

doc = Kramdown::Document.new($stdin.read, OPTIONS)
if ARGV.include?("--html")
  print doc.to_html
else
  out = +""
  dump(doc.root, 0, out)
  print out
end
