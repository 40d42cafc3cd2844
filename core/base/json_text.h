#pragma once

#include <QByteArray>
#include <QJsonParseError>
#include <QString>

namespace tai {

// Appends `text` as a JSON string literal (quoted, escaped, UTF-8). Used where key order and
// bytes must be exact (the decisions file is read by an external checker), which QJsonObject's
// sorted keys cannot promise.
void appendJsonString(QByteArray& out, QStringView text);
QByteArray jsonString(QStringView text);

// "line 3, column 14: unterminated string" style position for a parse error at `offset`.
QString describeJsonError(const QByteArray& text, const QJsonParseError& error);

}  // namespace tai
