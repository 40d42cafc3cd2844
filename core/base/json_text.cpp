#include "base/json_text.h"

namespace tai {

void appendJsonString(QByteArray& out, QStringView text) {
    out.append('"');
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        const char16_t c = text[i].unicode();
        if (c >= 0x80) {
            // A run of non-ASCII (surrogate pairs stay together) is converted in one go.
            qsizetype j = i + 1;
            while (j < n && text[j].unicode() >= 0x80) {
                ++j;
            }
            out.append(text.mid(i, j - i).toUtf8());
            i = j;
            continue;
        }
        switch (c) {
            case u'"':
                out.append("\\\"");
                break;
            case u'\\':
                out.append("\\\\");
                break;
            case u'\n':
                out.append("\\n");
                break;
            case u'\r':
                out.append("\\r");
                break;
            case u'\t':
                out.append("\\t");
                break;
            default:
                if (c < 0x20) {
                    static constexpr char kHex[] = "0123456789abcdef";
                    const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
                    out.append(escape, sizeof escape);
                } else {
                    out.append(static_cast<char>(c));
                }
        }
        ++i;
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
