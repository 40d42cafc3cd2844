#include "signal/json_text.h"

namespace tai {

void appendJsonString(QByteArray& out, QStringView text) {
    out.append('"');
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        switch (c) {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            case '\n':
                out.append("\\n");
                break;
            case '\r':
                out.append("\\r");
                break;
            case '\t':
                out.append("\\t");
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out.append("\\u00");
                    out.append(QByteArray::number(static_cast<int>(c), 16).rightJustified(2, '0'));
                } else {
                    out.append(c);
                }
        }
    }
    out.append('"');
}

QByteArray jsonString(QStringView text) {
    QByteArray out;
    appendJsonString(out, text);
    return out;
}

QString describeJsonError(const QByteArray& text, const QJsonParseError& error) {
    int line = 1;
    int column = 1;
    const int end = std::min<int>(error.offset, static_cast<int>(text.size()));
    for (int i = 0; i < end; ++i) {
        if (text.at(i) == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return QStringLiteral("line %1, column %2: %3").arg(line).arg(column).arg(error.errorString());
}

}  // namespace tai
