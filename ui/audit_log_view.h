#pragma once

#include "audit/audit_types.h"
#include "engine/engine.h"

#include <QFuture>

#include <QWidget>

#include <functional>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QTableView;

namespace tai::ui {

class AuditLogModel;

// The audit trail: filters (kind, subject, trace id, time range), pages read from SQLite on the
// engine's reader thread, and export of the filtered range to CSV or JSONL there too.
class AuditLogView : public QWidget {
    Q_OBJECT
public:
    // Both run off the GUI thread (the engine's reader) and answer with a future.
    using Query = std::function<QFuture<AuditPage>(const AuditQuery&)>;
    using Export =
        std::function<QFuture<AuditExport>(const AuditQuery&, const QString& format, const QString& file)>;

    explicit AuditLogView(QWidget* parent = nullptr);
    void setSource(Query query, Export exporter);

    void refresh();   // a new result set for the current filters
    void loadMore();  // the next page
    AuditLogModel* model() const { return model_; }
    AuditQuery currentQuery() const;
    QLineEdit* subjectFilter() const { return subject_; }
    QComboBox* kindFilter() const { return kind_; }

Q_SIGNALS:
    void pageLoaded(int rows);
    // "Why was this blocked?" on the selected decision row.
    void whyRequested(const QString& traceId);

private:
    void fetch(AuditQuery query, bool replace);
    void exportRange();

    Query query_;
    Export exporter_;
    AuditLogModel* model_;
    QTableView* table_;
    QComboBox* kind_;
    QLineEdit* subject_;
    QLineEdit* trace_;
    QDateTimeEdit* from_;
    QDateTimeEdit* to_;
    QLabel* status_;
    quint64 generation_ = 0;  // ignores pages of a query the operator has already replaced
};

}  // namespace tai::ui
