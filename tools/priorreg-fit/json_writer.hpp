#ifndef PRIORREG_FIT_JSON_WRITER_HPP
#define PRIORREG_FIT_JSON_WRITER_HPP

/// \file json_writer.hpp
/// \brief Number formatting that round-trips, and a minimal streaming JSON writer.

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace priorreg_fit {

/// The shortest decimal text that reads back as exactly `value` (`std::to_chars`): "0.1",
/// "1e-07", "-3". Non-finite values give "nan", "inf", "-inf".
inline std::string format_number(double value) {
    std::array<char, 32> buffer;
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

/// A CSV field: quoted (with doubled quotes) when it holds a comma, quote, line break or
/// surrounding space, as is otherwise.
inline std::string csv_field(std::string_view text) {
    const bool needs_quotes = text.find_first_of(",\"\r\n") != std::string_view::npos ||
                              (!text.empty() && (text.front() == ' ' || text.front() == '\t' ||
                                                 text.back() == ' ' || text.back() == '\t'));
    if (!needs_quotes)
        return std::string(text);
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

/// \brief Writes one JSON document into a string, with commas and indentation handled.
///
/// Usage: `begin_object()`, then `key("name")` before every member value, `value(...)`,
/// `end_object()`. Numbers are written with round-trip precision; non-finite numbers become
/// `null` (JSON has no NaN or infinity). Misuse (a value without a key inside an object,
/// unbalanced ends) throws `std::logic_error`.
class JsonWriter {
public:
    JsonWriter& begin_object() { return open('{', true); }
    JsonWriter& end_object() { return close('}', true); }
    JsonWriter& begin_array() { return open('[', false); }
    JsonWriter& end_array() { return close(']', false); }

    JsonWriter& key(std::string_view name) {
        if (stack_.empty() || !stack_.back().is_object || key_pending_)
            throw std::logic_error("JsonWriter: key outside an object");
        separate();
        text_ += quoted(name);
        text_ += ": ";
        key_pending_ = true;
        return *this;
    }

    JsonWriter& value(double number) {
        return raw(std::isfinite(number) ? format_number(number) : "null");
    }
    JsonWriter& value(std::int64_t number) { return raw(std::to_string(number)); }
    JsonWriter& value(bool flag) { return raw(flag ? "true" : "false"); }
    JsonWriter& value(std::string_view text) { return raw(quoted(text)); }
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& null() { return raw("null"); }

    /// `key(name).value(v)`.
    template <class T> JsonWriter& member(std::string_view name, const T& v) {
        key(name);
        return value(v);
    }

    /// The document, with a final line break; throws if objects or arrays are still open.
    std::string str() const {
        if (!stack_.empty() || !complete_)
            throw std::logic_error("JsonWriter: incomplete document");
        return text_ + '\n';
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped; other bytes
    /// (UTF-8) as they are.
    static std::string quoted(std::string_view text) {
        std::string out = "\"";
        for (const char c : text) {
            switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char escape[8];
                    std::snprintf(escape, sizeof escape, "\\u%04x",
                                  static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += escape;
                } else {
                    out += c;
                }
            }
        }
        return out + '"';
    }

private:
    struct Level {
        bool is_object;
        bool empty;
    };

    /// Before a member or element: the comma and the line break with indentation.
    void separate() {
        Level& level = stack_.back();
        if (!level.empty)
            text_ += ',';
        level.empty = false;
        newline();
    }

    void newline() {
        text_ += '\n';
        text_.append(2 * stack_.size(), ' ');
    }

    /// Position check shared by scalars and openers.
    void before_value() {
        if (complete_)
            throw std::logic_error("JsonWriter: a second top-level value");
        if (stack_.empty())
            return;
        if (stack_.back().is_object) {
            if (!key_pending_)
                throw std::logic_error("JsonWriter: object member without a key");
            key_pending_ = false;
        } else {
            separate();
        }
    }

    JsonWriter& raw(const std::string& token) {
        before_value();
        text_ += token;
        if (stack_.empty())
            complete_ = true;
        return *this;
    }

    JsonWriter& open(char bracket, bool is_object) {
        before_value();
        text_ += bracket;
        stack_.push_back(Level{is_object, true});
        return *this;
    }

    JsonWriter& close(char bracket, bool is_object) {
        if (stack_.empty() || stack_.back().is_object != is_object || key_pending_)
            throw std::logic_error("JsonWriter: unbalanced end");
        const bool empty = stack_.back().empty;
        stack_.pop_back();
        if (!empty)
            newline();
        text_ += bracket;
        if (stack_.empty())
            complete_ = true;
        return *this;
    }

    std::string text_;
    std::vector<Level> stack_;
    bool key_pending_ = false;
    bool complete_ = false;
};

} // namespace priorreg_fit

#endif // PRIORREG_FIT_JSON_WRITER_HPP
