#pragma once

#include "audit/audit_types.h"

#include <QAbstractTableModel>

#include <vector>

namespace tai::ui {

// Audit events as a table. Pages are appended as they arrive (rows inserted at the end); a new
// filter starts a new result set.
class AuditLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Seq, Time, Kind, Subject, Trace, Payload, ColumnCount };
    explicit AuditLogModel(QObject* parent = nullptr);

    void clear();
    void appendPage(const std::vector<AuditRecord>& records);
    const AuditRecord* recordAt(int row) const {
        return row >= 0 && row < static_cast<int>(rows_.size()) ? &rows_[static_cast<std::size_t>(row)]
                                                                : nullptr;
    }
    std::int64_t lastSeq() const { return rows_.empty() ? 0 : rows_.back().seq; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<AuditRecord> rows_;
};

}  // namespace tai::ui
