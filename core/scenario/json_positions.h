#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

namespace tai {

// Where each value of a JSON text starts, by key path ("events[2].do"; "" for the root), so a
// semantic error can name the line and column as well as the key. Call only on text that
// QJsonDocument accepted; on anything else the map is simply incomplete.
QHash<QString, qsizetype> indexJsonPositions(const QByteArray& text);

// 1-based line and column of a byte offset (columns count characters, not bytes).
std::pair<int, int> lineAndColumn(const QByteArray& text, qsizetype offset);

}  // namespace tai
