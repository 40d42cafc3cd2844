#include "scenario/json_positions.h"

#include <algorithm>

namespace tai {

namespace {
class Indexer {
public:
    Indexer(const QByteArray& text, QHash<QString, qsizetype>& out) : text_(text), out_(out) {}

    void value(const QString& path) {
        skipSpace();
        out_.insert(path, pos_);
        if (pos_ >= text_.size()) {
            return;
        }
        const char c = text_[pos_];
        if (c == '{') {
            object(path);
        } else if (c == '[') {
            array(path);
        } else if (c == '"') {
            string();
        } else {
            while (pos_ < text_.size() && !QByteArrayView(",]} \t\r\n").contains(text_[pos_])) {
                ++pos_;
            }
        }
    }

private:
    void skipSpace() {
        while (pos_ < text_.size() && QByteArrayView(" \t\r\n").contains(text_[pos_])) {
            ++pos_;
        }
    }
    QString string() {
        QByteArray raw;
        ++pos_;  // opening quote
        while (pos_ < text_.size() && text_[pos_] != '"') {
            if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) {
                raw += text_[pos_];
                ++pos_;
            }
            raw += text_[pos_];
            ++pos_;
        }
        ++pos_;                         // closing quote
        return QString::fromUtf8(raw);  // escapes left as written: keys in files are plain
    }
    void object(const QString& path) {
        ++pos_;
        for (;;) {
            skipSpace();
            if (pos_ >= text_.size() || text_[pos_] == '}') {
                ++pos_;
                return;
            }
            const qsizetype keyAt = pos_;
            const QString key = string();
            const QString child = path.isEmpty() ? key : path + QLatin1Char('.') + key;
            out_.insert(child + QStringLiteral("#key"), keyAt);
            skipSpace();
            ++pos_;  // ':'
            value(child);
            skipSpace();
            if (pos_ < text_.size() && text_[pos_] == ',') {
                ++pos_;
            }
        }
    }
    void array(const QString& path) {
        ++pos_;
        for (int i = 0;; ++i) {
            skipSpace();
            if (pos_ >= text_.size() || text_[pos_] == ']') {
                ++pos_;
                return;
            }
            value(path + QStringLiteral("[%1]").arg(i));
            skipSpace();
            if (pos_ < text_.size() && text_[pos_] == ',') {
                ++pos_;
            }
        }
    }

    const QByteArray& text_;
    QHash<QString, qsizetype>& out_;
    qsizetype pos_ = 0;
};
}  // namespace

QHash<QString, qsizetype> indexJsonPositions(const QByteArray& text) {
    QHash<QString, qsizetype> out;
    Indexer(text, out).value(QString());
    return out;
}

std::pair<int, int> lineAndColumn(const QByteArray& text, qsizetype offset) {
    int line = 1;
    int column = 1;
    const qsizetype end = std::min(offset, text.size());
    for (qsizetype i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) {
            ++column;  // a UTF-8 continuation byte is part of the character before it
        }
    }
    return {line, column};
}

TextLines::TextLines(const QByteArray& text) : text_(text) {
    starts_.push_back(0);
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == '\n') {
            starts_.push_back(i + 1);
        }
    }
}

std::pair<int, int> TextLines::lineAndColumn(qsizetype offset) const {
    const qsizetype end = std::clamp<qsizetype>(offset, 0, text_.size());
    const auto after = std::upper_bound(starts_.begin(), starts_.end(), end);
    const qsizetype start = *(after - 1);
    int column = 1;
    for (qsizetype i = start; i < end; ++i) {
        if ((static_cast<unsigned char>(text_[i]) & 0xc0) != 0x80) {
            ++column;
        }
    }
    return {static_cast<int>(after - starts_.begin()), column};
}

}  // namespace tai
