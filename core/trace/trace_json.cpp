#include "trace/trace_json.h"

#include "base/rfc3339.h"

#include <QJsonArray>

namespace tai {

namespace {
QJsonValue jsonValue(const AttributeValue& value) {
    return std::visit(
        [](const auto& v) -> QJsonValue {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::int64_t>) {
                return static_cast<qint64>(v);
            } else {
                return v;
            }
        },
        value);
}
}  // namespace

QJsonObject traceJson(const KeptTrace& t, bool summary) {
    QJsonObject o = t.summary();
    o.insert(QStringLiteral("trace_id"), t.traceId());
    o.insert(QStringLiteral("system"), t.system());
    o.insert(QStringLiteral("start"), formatRfc3339(t.start()));
    o.insert(QStringLiteral("duration_ms"), toSeconds(t.end() - t.start()) * 1000.0);
    if (summary) {
        return o;
    }
    if (const QJsonObject why = t.why(); !why.isEmpty()) {
        o.insert(QStringLiteral("why"), why);
    }
    QJsonArray spans;
    for (const Span& s : t.spans()) {
        QJsonObject attributes;
        for (const SpanAttribute& a : s.attributes) {
            attributes.insert(a.key, jsonValue(a.value));
        }
        spans.append(
            QJsonObject{{QStringLiteral("name"), s.name},
                        {QStringLiteral("span_id"), spanIdHex(s.spanId)},
                        {QStringLiteral("parent_id"), s.parentId == 0 ? QString() : spanIdHex(s.parentId)},
                        {QStringLiteral("start_offset_ms"), toSeconds(s.start - t.start()) * 1000.0},
                        {QStringLiteral("duration_ms"), toSeconds(s.end - s.start) * 1000.0},
                        {QStringLiteral("error"), s.error},
                        {QStringLiteral("attributes"), attributes}});
    }
    o.insert(QStringLiteral("spans"), spans);
    return o;
}

}  // namespace tai
