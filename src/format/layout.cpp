#include "format/layout.hpp"

namespace reddalert::format {

Doc text(std::string s) {
  Doc d;
  d.kind = Doc::Kind::Text;
  d.text = std::move(s);
  return d;
}
Doc line() {
  Doc d;
  d.kind = Doc::Kind::Line;
  return d;
}
Doc softline() {
  Doc d;
  d.kind = Doc::Kind::SoftLine;
  return d;
}
Doc boundary() {
  Doc d;
  d.kind = Doc::Kind::Boundary;
  return d;
}
Doc concat(std::vector<Doc> parts) {
  Doc d;
  d.kind = Doc::Kind::Concat;
  d.parts = std::move(parts);
  return d;
}
Doc nest(int indent, Doc inner) {
  Doc d;
  d.kind = Doc::Kind::Nest;
  d.indent = indent;
  d.parts.push_back(std::move(inner));
  return d;
}
Doc align(Doc inner) {
  Doc d;
  d.kind = Doc::Kind::Align;
  d.parts.push_back(std::move(inner));
  return d;
}
Doc group(Doc inner) {
  Doc d;
  d.kind = Doc::Kind::Group;
  d.parts.push_back(std::move(inner));
  return d;
}

int columns(const std::string& s) {
  int n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

namespace {

struct Cmd {
  int indent;
  bool flat;
  const Doc* doc;
};

// Whether `next` fits flat in `room` columns, followed by what `rest` puts on the same
// line (the rest in its own modes, up to its first line break).
bool fits(const Cmd& next, const std::vector<Cmd>& rest, int room) {
  std::vector<Cmd> cmds{next};
  std::size_t rest_index = rest.size();
  bool in_rest = false;
  while (room >= 0) {
    if (cmds.empty()) {
      if (rest_index == 0) return true;
      cmds.push_back(rest[--rest_index]);
      in_rest = true;
      continue;
    }
    const Cmd c = cmds.back();
    cmds.pop_back();
    switch (c.doc->kind) {
      case Doc::Kind::Text: room -= columns(c.doc->text); break;
      case Doc::Kind::Line:
        if (!c.flat) return true;
        room -= 1;
        break;
      case Doc::Kind::SoftLine:
        if (!c.flat) return true;
        break;
      case Doc::Kind::Boundary:
        if (in_rest) return true;
        break;
      case Doc::Kind::Concat:
        for (auto it = c.doc->parts.rbegin(); it != c.doc->parts.rend(); ++it) cmds.push_back({c.indent, c.flat, &*it});
        break;
      case Doc::Kind::Nest:
      case Doc::Kind::Align:
      case Doc::Kind::Group: cmds.push_back({c.indent, c.flat, &c.doc->parts[0]}); break;
    }
  }
  return false;
}

}  // namespace

std::string render(const Doc& d, int indent, int width) {
  std::string out;
  int column = indent;
  std::vector<Cmd> cmds{{indent, false, &d}};
  auto newline = [&](int to) {
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
    out.append(static_cast<std::size_t>(to), ' ');
    column = to;
  };
  while (!cmds.empty()) {
    const Cmd c = cmds.back();
    cmds.pop_back();
    switch (c.doc->kind) {
      case Doc::Kind::Text:
        out += c.doc->text;
        column += columns(c.doc->text);
        break;
      case Doc::Kind::Line:
        if (c.flat) {
          out += ' ';
          ++column;
        } else {
          newline(c.indent);
        }
        break;
      case Doc::Kind::SoftLine:
        if (!c.flat) newline(c.indent);
        break;
      case Doc::Kind::Boundary: break;
      case Doc::Kind::Concat:
        for (auto it = c.doc->parts.rbegin(); it != c.doc->parts.rend(); ++it) cmds.push_back({c.indent, c.flat, &*it});
        break;
      case Doc::Kind::Nest: cmds.push_back({c.indent + c.doc->indent, c.flat, &c.doc->parts[0]}); break;
      case Doc::Kind::Align: cmds.push_back({column, c.flat, &c.doc->parts[0]}); break;
      case Doc::Kind::Group: {
        const bool flat = c.flat || fits({c.indent, true, &c.doc->parts[0]}, cmds, width - column);
        cmds.push_back({c.indent, flat, &c.doc->parts[0]});
        break;
      }
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace reddalert::format
