#include "audit_log_model.h"

#include "base/rfc3339.h"

namespace tai::ui {

AuditLogModel::AuditLogModel(QObject* parent) : QAbstractTableModel(parent) {}

void AuditLogModel::clear() {
    if (rows_.empty()) {
        return;
    }
    beginRemoveRows(QModelIndex(), 0, static_cast<int>(rows_.size()) - 1);
    rows_.clear();
    endRemoveRows();
}

void AuditLogModel::appendPage(const std::vector<AuditRecord>& records) {
    if (records.empty()) {
        return;
    }
    const int first = static_cast<int>(rows_.size());
    beginInsertRows(QModelIndex(), first, first + static_cast<int>(records.size()) - 1);
    rows_.insert(rows_.end(), records.begin(), records.end());
    endInsertRows();
}

int AuditLogModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}
int AuditLogModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditLogModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        (role != Qt::DisplayRole && role != Qt::ToolTipRole)) {
        return {};
    }
    const AuditRecord& r = rows_[static_cast<std::size_t>(index.row())];
    switch (index.column()) {
        case Seq:
            return QVariant::fromValue(static_cast<qlonglong>(r.seq));
        case Time:
            return formatRfc3339(fromEpochMs(r.row.atMs));
        case Kind:
            return r.row.kind;
        case Subject:
            return r.row.subject;
        case Trace:
            return r.row.traceId;
        case Payload:
            return QString::fromUtf8(r.row.payload);
        default:
            return {};
    }
}

QVariant AuditLogModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return {};
    }
    static const char* names[] = {"Seq", "Time (UTC)", "Kind", "Subject", "Trace id", "Payload"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

}  // namespace tai::ui
