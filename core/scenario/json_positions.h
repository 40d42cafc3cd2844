#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <utility>
#include <vector>

namespace tai {

// Where each value of a JSON text starts, by key path ("events[2].do"; "" for the root), so a
// semantic error can name the line and column as well as the key. Call only on text that
// QJsonDocument accepted; on anything else the map is simply incomplete.
QHash<QString, qsizetype> indexJsonPositions(const QByteArray& text);

// 1-based line and column of a byte offset (columns count characters, not bytes).
std::pair<int, int> lineAndColumn(const QByteArray& text, qsizetype offset);

// The same for many offsets into one text: the line starts are found once, so each lookup is a
// binary search plus a walk along its own line (a 100 000-event scenario is checked in linear
// time, not quadratic). `text` must outlive the index.
class TextLines {
public:
    explicit TextLines(const QByteArray& text);
    std::pair<int, int> lineAndColumn(qsizetype offset) const;

private:
    const QByteArray& text_;
    std::vector<qsizetype> starts_;  // the offset of each line's first byte
};

}  // namespace tai
