#include "trace/span.h"

namespace tai {

QString attributeText(const AttributeValue& value) {
    return std::visit(
        [](const auto& v) -> QString {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, QString>) {
                return v;
            } else if constexpr (std::is_same_v<T, bool>) {
                return v ? QStringLiteral("true") : QStringLiteral("false");
            } else {
                return QString::number(v);
            }
        },
        value);
}

QString spanIdHex(std::uint64_t id) {
    return QString::number(id, 16).rightJustified(16, QLatin1Char('0'));
}

}  // namespace tai
