#ifndef PRIORREG_FIT_DESIGN_HPP
#define PRIORREG_FIT_DESIGN_HPP

/// \file design.hpp
/// \brief From a CSV table to the design of a fit, and the same encoding for new data.
///
/// The roles of the columns: the target, optional weights and fold ids, dropped columns and
/// the features (every other column). A feature column of numbers is one term; a column of
/// text (when allowed) is categorical: its levels sorted by byte value, the first the
/// reference, one 0/1 term `column=level` for each other level (R's treatment contrasts).
/// Rows with a missing cell in a used column are an error naming the first, or are dropped.
/// Every error names the column by its header name and the line (and field) of the file.

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <priorreg/sufficient_statistics.hpp>

#include "csv_table.hpp"
#include "json_writer.hpp"

namespace priorreg_fit {

/// Data the model cannot use (unknown column, missing value, negative weight, too few rows).
class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A column the terms of a design come from; `levels` empty for a numeric column, else its
/// levels with the reference first.
struct InputColumn {
    std::string name;
    std::vector<std::string> levels;
    bool categorical() const { return !levels.empty(); }
    /// Columns it makes in the design: 1, or one per non-reference level.
    std::size_t term_count() const { return categorical() ? levels.size() - 1 : 1; }
};

/// The names of the terms `inputs` make, in order: a numeric column's name, and
/// `column=level` for each non-reference level of a categorical one.
inline std::vector<std::string> term_names(const std::vector<InputColumn>& inputs) {
    std::vector<std::string> names;
    for (const InputColumn& input : inputs) {
        if (!input.categorical())
            names.push_back(input.name);
        for (std::size_t k = 1; k < input.levels.size(); ++k)
            names.push_back(input.name + "=" + input.levels[k]);
    }
    return names;
}

/// What `build_design` is asked for.
struct DesignRequest {
    std::string target;  ///< empty: the last column (the last but one if that is the weights)
    std::string weights; ///< empty: none
    std::string foldid;  ///< empty: none
    std::vector<std::string> drop;
    bool drop_missing = false; ///< drop rows with a missing cell (else an error)
    bool categorical = true;   ///< one-hot encode text columns (else an error)
    /// The table is one chunk of a file read in chunks (`--stream`): text columns are refused
    /// (their levels would need the whole file), and the checks on the number of rows and on
    /// weights all zero are the caller's, over all chunks.
    bool chunk = false;
};

/// A design ready to fit.
struct Design {
    Eigen::MatrixXd X;
    Eigen::VectorXd y;
    Eigen::VectorXd w;
    bool weighted = false;
    std::vector<int> folds; ///< 0..K-1 per row, empty without --foldid
    int fold_count = 0;
    std::string target;
    std::vector<std::string> terms;      ///< one name per column of X
    std::vector<std::size_t> term_input; ///< the input column of each term
    std::vector<InputColumn> inputs;     ///< the feature columns, in file order
    std::size_t rows_dropped = 0;        ///< rows with a missing cell, when dropped
    /// `--stream`: the rows summarized chunk by chunk (X, y and w are then empty).
    std::optional<priorreg::SufficientStatistics<double>> statistics;

    /// The rows of the design (weight 0 included), in X or summarized.
    Eigen::Index rows() const { return statistics ? statistics->rows() : X.rows(); }
};

namespace design_detail {

inline std::string column_list(const std::vector<std::string>& names) {
    std::string list;
    for (std::size_t j = 0; j < names.size() && j < 12; ++j)
        list += (j ? ", " : "") + names[j];
    if (names.size() > 12)
        list += ", ... (" + std::to_string(names.size()) + " columns)";
    return list;
}

/// `file:line:field: column "name": message`.
[[noreturn]] inline void fail_at(const CsvTable& t, std::size_t row, std::size_t col,
                                 const std::string& message) {
    throw DataError(t.source + ":" + std::to_string(t.row_lines[row]) + ":" +
                    std::to_string(t.columns[col].field) + ": column \"" + t.names[col] +
                    "\": " + message);
}

inline std::size_t require_column(const CsvTable& t, const std::string& name, const char* role) {
    const auto index = t.find(name);
    if (!index)
        throw DataError(t.source + ":1: unknown " + role + " column \"" + name +
                        "\" (columns: " + column_list(t.names) + ")");
    return *index;
}

/// The first text cell of a column (for messages).
inline std::string first_text(const CsvTable& t, std::size_t col) {
    const CsvColumn& c = t.columns[col];
    return c.levels[static_cast<std::size_t>(c.codes[c.first_text_row])];
}

/// The first row of a column that holds a number.
inline std::size_t first_number_row(const CsvTable& t, std::size_t col) {
    std::size_t row = 0;
    while (row < t.rows() && std::isnan(t(row, col)))
        ++row;
    return row;
}

/// A column that must hold numbers (target, weights, fold ids, numeric features).
inline void require_numeric(const CsvTable& t, std::size_t col, const std::string& role) {
    const CsvColumn& c = t.columns[col];
    if (c.texts == 0)
        return;
    const std::string text = "\"" + first_text(t, col) + "\"";
    if (c.numbers > 0)
        fail_at(t, c.first_text_row, col,
                "mixes numbers and text (" + text +
                    "); write missing values as NA or an empty cell, or --drop the column");
    fail_at(t, c.first_text_row, col, "holds text (" + text + "); " + role);
}

/// Rows whose cells in `used` are all present; the first missing cell is an error unless
/// `drop_missing`.
inline std::vector<std::size_t> complete_rows(const CsvTable& t,
                                              const std::vector<std::size_t>& used,
                                              bool drop_missing, const char* advice) {
    std::vector<std::size_t> kept;
    kept.reserve(t.rows());
    for (std::size_t i = 0; i < t.rows(); ++i) {
        bool complete = true;
        for (const std::size_t col : used)
            if (t.is_missing(i, col)) {
                if (!drop_missing)
                    fail_at(t, i, col, std::string("missing value (") + advice + ")");
                complete = false;
                break;
            }
        if (complete)
            kept.push_back(i);
    }
    return kept;
}

/// The checks on all the rows of a design: at least 2, and weights (when given) not all zero.
inline void check_design_rows(const std::string& source, std::size_t rows, std::size_t dropped,
                              const std::string& weights_column, double total_weight) {
    if (rows < 2)
        throw DataError(
            source + ": " + std::to_string(rows) + (rows == 1 ? " data row" : " data rows") +
            (dropped > 0 ? " without a missing value" : "") + "; at least 2 are needed");
    if (!weights_column.empty() && !(total_weight > 0))
        throw DataError(source + ": the weights in column \"" + weights_column + "\" are all zero");
}

} // namespace design_detail

/// The terms of `inputs` (found in `t` as `columns`) on `rows`: numbers as they are, a
/// categorical input as 0/1 indicators of its non-reference levels. A level `inputs` does not
/// know is an error naming it.
inline Eigen::MatrixXd encode_rows(const CsvTable& t, const std::vector<InputColumn>& inputs,
                                   const std::vector<std::size_t>& columns,
                                   const std::vector<std::size_t>& rows) {
    Eigen::Index p = 0;
    for (const InputColumn& input : inputs)
        p += static_cast<Eigen::Index>(input.term_count());
    Eigen::MatrixXd X = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(rows.size()), p);
    Eigen::Index term = 0;
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        const InputColumn& input = inputs[k];
        const std::size_t col = columns[k];
        if (!input.categorical()) {
            for (std::size_t r = 0; r < rows.size(); ++r)
                X(static_cast<Eigen::Index>(r), term) = t(rows[r], col);
            ++term;
            continue;
        }
        // The file's level codes -> the input's term (-1: the reference).
        const CsvColumn& c = t.columns[col];
        std::vector<Eigen::Index> term_of(c.levels.size(), -2);
        for (std::size_t level = 0; level < c.levels.size(); ++level) {
            const auto found = std::find(input.levels.begin(), input.levels.end(), c.levels[level]);
            if (found != input.levels.end())
                term_of[level] = found - input.levels.begin() - 1;
        }
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const std::int32_t code = c.codes[rows[r]];
            const Eigen::Index level_term = term_of[static_cast<std::size_t>(code)];
            if (level_term == -2) {
                std::string known;
                for (std::size_t l = 0; l < input.levels.size(); ++l)
                    known += (l ? ", " : "") + input.levels[l];
                design_detail::fail_at(t, rows[r], col,
                                       "level \"" + c.levels[static_cast<std::size_t>(code)] +
                                           "\" is not one the model knows (" + known + ")");
            }
            if (level_term >= 0)
                X(static_cast<Eigen::Index>(r), term + level_term) = 1;
        }
        term += static_cast<Eigen::Index>(input.term_count());
    }
    return X;
}

/// The design of a fit from `t` as `request` says (see the file comment).
inline Design build_design(const CsvTable& t, const DesignRequest& request) {
    using namespace design_detail;
    const std::size_t none = t.cols();
    enum class Role { feature, special, dropped }; // special: target, weights, fold ids
    std::vector<Role> role(t.cols(), Role::feature);
    for (const std::string& name : request.drop)
        role[require_column(t, name, "--drop")] = Role::dropped;
    const std::size_t weights =
        request.weights.empty() ? none : require_column(t, request.weights, "weights");
    const std::size_t foldid =
        request.foldid.empty() ? none : require_column(t, request.foldid, "foldid");
    std::size_t target = none;
    if (!request.target.empty()) {
        target = require_column(t, request.target, "target");
    } else {
        // The last column that is not the weights, fold ids or dropped.
        for (std::size_t j = t.cols(); j-- > 0;)
            if (j != weights && j != foldid && role[j] != Role::dropped) {
                target = j;
                break;
            }
        if (target == none)
            throw DataError(t.source + ": no column left for the target");
    }
    for (const auto& [col, what] : {std::pair{weights, "weights"}, std::pair{foldid, "foldid"}})
        if (col != none && col == target)
            throw DataError(t.source + ": the " + what + " column \"" + t.names[col] +
                            "\" cannot be the target");
    if (weights != none && weights == foldid)
        throw DataError(t.source + ": the weights and foldid columns cannot be the same");
    for (const std::size_t col : {target, weights, foldid})
        if (col != none) {
            if (role[col] == Role::dropped)
                throw DataError(t.source + ": column \"" + t.names[col] +
                                "\" is dropped (--drop) but used");
            role[col] = Role::special;
        }

    Design d;
    d.target = t.names[target];
    std::vector<std::size_t> feature_columns, used{target};
    for (std::size_t j = 0; j < t.cols(); ++j)
        if (role[j] == Role::feature) {
            feature_columns.push_back(j);
            used.push_back(j);
        }
    if (weights != none)
        used.push_back(weights);
    if (foldid != none)
        used.push_back(foldid);
    if (feature_columns.empty())
        throw DataError(t.source + ": no feature columns (only the target \"" + d.target + "\"" +
                        (weights == none ? "" : " and the weights") + ")");

    require_numeric(t, target, "the target must be numeric");
    if (weights != none)
        require_numeric(t, weights, "weights must be numeric");
    if (foldid != none)
        require_numeric(t, foldid, "fold ids must be integers");
    for (const std::size_t col : feature_columns) {
        const CsvColumn& c = t.columns[col];
        if (c.texts > 0 && request.chunk)
            require_numeric(t, col,
                            "--stream reads numeric columns only (a text column's levels need "
                            "the whole file): --drop it, or fit without --stream");
        if (c.texts > 0 && (c.numbers > 0 || !request.categorical))
            require_numeric(t, col,
                            "--categorical off refuses text columns (--drop it, or let it be "
                            "one-hot encoded)");
    }

    const std::vector<std::size_t> rows = complete_rows(
        t, used, request.drop_missing, "--na drop drops the rows with a missing value");
    d.rows_dropped = t.rows() - rows.size();
    if (!request.chunk)
        check_design_rows(t.source, rows.size(), d.rows_dropped, "", 0);

    // Inputs and terms. Levels: those present in the kept rows, sorted; the first is the
    // reference.
    for (const std::size_t col : feature_columns) {
        InputColumn input{t.names[col], {}};
        const CsvColumn& c = t.columns[col];
        if (c.texts > 0) {
            std::vector<char> present(c.levels.size(), 0);
            for (const std::size_t i : rows)
                present[static_cast<std::size_t>(c.codes[i])] = 1;
            for (std::size_t k = 0; k < c.levels.size(); ++k)
                if (present[k])
                    input.levels.push_back(c.levels[k]);
            std::sort(input.levels.begin(), input.levels.end());
        }
        d.term_input.insert(d.term_input.end(), input.term_count(), d.inputs.size());
        d.inputs.push_back(std::move(input));
    }
    d.terms = term_names(d.inputs);
    if (d.terms.empty())
        throw DataError(t.source + ": no feature terms (every text column has a single level)");

    const auto n = static_cast<Eigen::Index>(rows.size());
    d.y.resize(n);
    for (Eigen::Index r = 0; r < n; ++r)
        d.y(r) = t(rows[static_cast<std::size_t>(r)], target);
    if (weights != none) {
        d.weighted = true;
        d.w.resize(n);
        for (Eigen::Index r = 0; r < n; ++r) {
            const std::size_t i = rows[static_cast<std::size_t>(r)];
            const double weight = t(i, weights);
            if (weight < 0)
                fail_at(t, i, weights, "negative weight " + format_number(weight));
            d.w(r) = weight;
        }
        if (!request.chunk)
            check_design_rows(t.source, rows.size(), d.rows_dropped, t.names[weights], d.w.sum());
    }
    if (foldid != none) {
        // Fold ids as the user numbers them (glmnet: 1..K); folds 0..K-1 in increasing order.
        std::map<double, int> labels;
        for (const std::size_t i : rows) {
            const double id = t(i, foldid);
            if (id != std::floor(id))
                fail_at(t, i, foldid, "fold id " + format_number(id) + " is not an integer");
            labels.emplace(id, 0);
        }
        int next = 0;
        for (auto& label : labels)
            label.second = next++;
        if (next < 2)
            throw DataError(t.source + ": column \"" + t.names[foldid] +
                            "\" holds one fold id; cross-validation needs at least 2");
        d.fold_count = next;
        for (const std::size_t i : rows)
            d.folds.push_back(labels[t(i, foldid)]);
    }
    d.X = encode_rows(t, d.inputs, feature_columns, rows);
    return d;
}

/// New data for a fitted model: its rows that have every input, encoded as in training.
struct NewData {
    Eigen::MatrixXd X;
    std::vector<std::size_t> rows; ///< the table rows of X's rows (all, unless some had NA)
};

/// Finds the model's inputs in `t` by name (order free, other columns ignored; a missing one
/// is an error naming it) and encodes them. A row with a missing input is an error, or left
/// out of `rows` when `skip_missing`.
inline NewData encode_new_data(const CsvTable& t, const std::vector<InputColumn>& inputs,
                               bool skip_missing) {
    using namespace design_detail;
    std::vector<std::size_t> columns;
    for (const InputColumn& input : inputs) {
        const auto col = t.find(input.name);
        if (!col)
            throw DataError(t.source + ":1: the model's input column \"" + input.name +
                            "\" is missing (columns: " + column_list(t.names) + ")");
        const CsvColumn& c = t.columns[*col];
        if (!input.categorical()) {
            require_numeric(t, *col, "the model has it as a numeric input");
        } else if (c.numbers > 0) {
            fail_at(t, first_number_row(t, *col), *col,
                    "holds a number; the model has it as a text (categorical) input");
        }
        columns.push_back(*col);
    }
    NewData data;
    data.rows =
        complete_rows(t, columns, skip_missing, "--na skip gives such rows an NA prediction");
    data.X = encode_rows(t, inputs, columns, data.rows);
    return data;
}

} // namespace priorreg_fit

#endif // PRIORREG_FIT_DESIGN_HPP
