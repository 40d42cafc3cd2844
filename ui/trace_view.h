#pragma once

#include "payments/payment_outcome.h"
#include "trace/trace_store.h"

#include <QFuture>

#include <QWidget>

#include <functional>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace tai::ui {

// A Gantt chart of one trace's spans: one row per span, indented by depth, bars on a shared
// time axis, errors in red. Clicking a row selects that span.
class TraceGantt : public QWidget {
    Q_OBJECT
public:
    explicit TraceGantt(QWidget* parent = nullptr);
    void setTrace(std::shared_ptr<const KeptTrace> trace);
    int selectedSpan() const { return selected_; }
    void selectSpan(int index);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void spanSelected(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    std::shared_ptr<const KeptTrace> trace_;
    std::vector<Span> spans_;
    std::vector<int> depth_;
    int selected_ = 0;
};

// The trace view: search kept traces (payments and deployments) by trace id, customer or outcome;
// the results; the Gantt chart of the chosen one; the attributes of the chosen span; "Why was this
// blocked?" and an OTLP/JSON export of the trace. Searches run off the GUI thread (the engine's
// reader) and land here when done.
class TraceView : public QWidget {
    Q_OBJECT
public:
    using Source = std::function<QFuture<std::vector<std::shared_ptr<const KeptTrace>>>(const TraceQuery&)>;

    explicit TraceView(QWidget* parent = nullptr);
    void setSource(Source source);

    void search();
    // Shows a trace by id: at once when it is among the results, else once the lookup answers
    // (shown() or notKept() says which).
    void showTrace(const QString& traceId);
    QLineEdit* traceField() const { return traceId_; }
    QComboBox* outcomeFilter() const { return outcome_; }
    QTableWidget* results() const { return results_; }
    TraceGantt* gantt() const { return gantt_; }
    std::shared_ptr<const KeptTrace> current() const { return current_; }
    // Until the operator searches or picks a row, the view follows the newest kept trace.
    bool following() const { return !picked_; }

Q_SIGNALS:
    void whyRequested(const QString& traceId);
    void searched(int found);  // a search has answered
    void shown(const QString& traceId);
    void notKept(const QString& traceId);

private:
    void showAttributes(int span);
    void show(const std::shared_ptr<const KeptTrace>& trace);
    void query(const TraceQuery& q, std::function<void(std::vector<std::shared_ptr<const KeptTrace>>)> done);

    Source source_;
    bool picked_ = false;
    std::vector<std::shared_ptr<const KeptTrace>> found_;
    std::shared_ptr<const KeptTrace> current_;
    QLineEdit* traceId_;
    QLineEdit* customer_;
    QComboBox* outcome_;
    QLabel* status_;
    QTableWidget* results_;
    TraceGantt* gantt_;
    QTableWidget* attributes_;
};

}  // namespace tai::ui
