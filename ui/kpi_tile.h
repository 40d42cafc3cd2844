#pragma once

#include <QFrame>

class QLabel;

namespace tai::ui {

// One headline number: a title, the value, and a small line under it (sample count, unit).
class KpiTile : public QFrame {
    Q_OBJECT
public:
    KpiTile(const QString& title, const QString& explanation, QWidget* parent = nullptr);

    void setValue(const QString& value, const QString& detail, bool dimmed = false);
    QString value() const;

private:
    QLabel* value_;
    QLabel* detail_;
};

}  // namespace tai::ui
