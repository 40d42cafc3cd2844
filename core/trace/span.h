#pragma once

#include "base/clock.h"

#include <QString>

#include <cstdint>
#include <variant>
#include <vector>

namespace tai {

// OpenTelemetry's span kinds, numbered as OTLP numbers them.
enum class SpanKind { Internal = 1, Server = 2, Client = 3, Producer = 4, Consumer = 5 };

// An attribute value keeps its type, so OTLP can say intValue, doubleValue or boolValue.
using AttributeValue = std::variant<QString, std::int64_t, double, bool>;

struct SpanAttribute {
    QString key;
    AttributeValue value;
};

QString attributeText(const AttributeValue& value);  // for display: 42, 0.5, true, text

// One span of a trace (§12). Ids are 64-bit; OTLP and the UI show them as hex.
struct Span {
    QString name;
    std::uint64_t spanId = 0;
    std::uint64_t parentId = 0;  // 0 for the root
    TimePoint start;
    TimePoint end;
    SpanKind kind = SpanKind::Internal;
    bool error = false;  // OTLP status ERROR; otherwise the status is left unset
    std::vector<SpanAttribute> attributes;
};

QString spanIdHex(std::uint64_t id);

}  // namespace tai
