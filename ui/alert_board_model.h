#pragma once

#include "andon/andon_types.h"

#include <QAbstractTableModel>

#include <vector>

namespace tai::ui {

// Alerts as rows: the board's pending and firing alerts, or its resolved history. Rows are
// keyed by alert key, so a refresh that changes values keeps the selection where it was.
class AlertBoardModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Severity, State, Alert, Subject, Age, Value, Handling, ColumnCount };
    enum Role { KeyRole = Qt::UserRole + 1 };

    explicit AlertBoardModel(bool history, QObject* parent = nullptr);

    void setAlerts(std::vector<ActiveAlert> alerts, std::int64_t nowMs);
    const ActiveAlert* alertAt(int row) const;
    // How many times the alerts were replaced: each replacement frees the previous ones, so a
    // pointer from alertAt() is good only until the next snapshot.
    quint64 generation() const { return generation_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    bool history_;
    std::vector<ActiveAlert> alerts_;
    std::int64_t nowMs_ = 0;
    quint64 generation_ = 0;
};

QString ageText(std::int64_t ms);  // "42 s", "3 min 5 s", "2 h 10 min"

}  // namespace tai::ui
