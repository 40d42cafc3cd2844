#include "trace/otlp_json.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tai {

namespace {
QJsonObject anyValue(const AttributeValue& value) {
    return std::visit(
        [](const auto& v) -> QJsonObject {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, QString>) {
                return {{QStringLiteral("stringValue"), v}};
            } else if constexpr (std::is_same_v<T, bool>) {
                return {{QStringLiteral("boolValue"), v}};
            } else if constexpr (std::is_same_v<T, double>) {
                return {{QStringLiteral("doubleValue"), v}};
            } else {
                return {{QStringLiteral("intValue"), QString::number(v)}};  // int64 is a string in JSON
            }
        },
        value);
}

QJsonObject attribute(const QString& key, const AttributeValue& value) {
    return QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("value"), anyValue(value)}};
}

QString nanos(TimePoint t) {
    return QString::number(
        std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}
}  // namespace

QByteArray otlpTraceRequest(const std::vector<std::shared_ptr<const KeptTrace>>& traces) {
    QJsonArray spans;
    for (const auto& trace : traces) {
        for (const Span& s : trace->spans()) {
            QJsonArray attributes;
            for (const SpanAttribute& a : s.attributes) {
                attributes.append(attribute(a.key, a.value));
            }
            QJsonObject span{{QStringLiteral("traceId"), trace->traceId()},
                             {QStringLiteral("spanId"), spanIdHex(s.spanId)},
                             {QStringLiteral("name"), s.name},
                             {QStringLiteral("kind"), static_cast<int>(s.kind)},
                             {QStringLiteral("startTimeUnixNano"), nanos(s.start)},
                             {QStringLiteral("endTimeUnixNano"), nanos(s.end)},
                             {QStringLiteral("attributes"), attributes}};
            // STATUS_CODE_ERROR = 2; a span that did not fail leaves its status unset.
            span.insert(QStringLiteral("status"),
                        s.error ? QJsonObject{{QStringLiteral("code"), 2}} : QJsonObject{});
            if (s.parentId != 0) {
                span.insert(QStringLiteral("parentSpanId"), spanIdHex(s.parentId));
            }
            spans.append(span);
        }
    }
    const QJsonObject resource{
        {QStringLiteral("attributes"),
         QJsonArray{attribute(QStringLiteral("service.name"), QStringLiteral("tai-console")),
                    attribute(QStringLiteral("service.version"), QStringLiteral(TAI_VERSION))}}};
    const QJsonObject scope{{QStringLiteral("name"), QStringLiteral("tai-console")},
                            {QStringLiteral("version"), QStringLiteral(TAI_VERSION)}};
    const QJsonObject request{
        {QStringLiteral("resourceSpans"),
         QJsonArray{QJsonObject{
             {QStringLiteral("resource"), resource},
             {QStringLiteral("scopeSpans"), QJsonArray{QJsonObject{{QStringLiteral("scope"), scope},
                                                                   {QStringLiteral("spans"), spans}}}}}}}};
    return QJsonDocument(request).toJson(QJsonDocument::Compact);
}

}  // namespace tai
