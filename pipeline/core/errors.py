"""Every coded message anjuan shows a reviewer, in one place (spaCy's errors.py pattern).

A code is a letter and three digits. ``E1xx`` reading the archive, ``E2xx`` extraction,
``E3xx`` checks and rules, ``E4xx`` rendering and templates, ``E5xx`` database, ``E6xx`` the
workbench (``anjuan serve``), ``E9xx`` internal.
Messages are Chinese and end with how to fix the problem. ``msg("E101", path=...)`` formats one
and prefixes the code: ``[E101] …``.
"""
from __future__ import annotations

MESSAGES: dict[str, str] = {
    # --- reading the archive -------------------------------------------------------------
    "E100": "归档目录不存在或不是文件夹：{path}。请检查路径后重试。",
    "E101": "文件为空（0 字节）：{path}。请从原系统重新导出该文件。",
    "E102": "文件已损坏或不完整，无法读取：{path}（{detail}）。请重新导出或重新扫描该文件。",
    "E103": "文件扩展名为 .pdf，但内容不是 PDF：{path}。请确认文件格式，必要时用原程序另存为 PDF。",
    "E104": "PDF 已加密，无法读取文本：{path}。请用原系统导出未加密的 PDF，或在 PDF 阅读器中取消密码保护后重试。",
    "E105": "Word 文件受密码保护，无法读取：{path}。请在 Word/WPS 中取消“用密码进行加密”后另存为 .docx。",
    "E106": "第 {page} 页没有文字层（可能是扫描件），需要 OCR 识别：{path}。请安装 OCR 组件后重试，或提供带文字层的 PDF。",
    "E107": "不支持的文件类型：{path}。已列出但未解读；支持 .docx .doc .wps .pdf .ofd .jpg .jpeg .png .tif .tiff .zip。",
    "E108": "压缩包中的路径试图跳出解压目录，已拒绝：{path} → {member}。请检查压缩包来源。",
    "E109": "压缩包超过安全上限（{detail}），已停止解压：{path}。请将案卷拆分后重新打包。",
    "E110": "压缩包已损坏或不是 zip 文件：{path}（{detail}）。请重新打包。",
    "E111": "旧版 Word/WPS 文件（.doc .wps）需要 LibreOffice 转换后才能读取，本机未安装：{path}。请安装 LibreOffice：sudo apt-get install -y libreoffice-writer（Windows 请安装 LibreOffice，或设置环境变量 ANJUAN_SOFFICE 指向 soffice.exe），或在 Word/WPS 中另存为 .docx 后重试。",
    "E112": "文件无法打开（权限不足或被占用）：{path}。请检查文件权限后重试。",
    "E113": "符号链接指向归档目录以外，已跳过：{path}。请把实际文件复制进归档目录。",
    "E114": "文件过大（{detail}），超过读取上限：{path}。请拆分文件或调整 --max-pages 设置。",
    "E115": "与同一案卷中的另一个文件内容完全相同（重复文件）：{path} = {other}。已只读取一次。",
    "E116": "文件中没有可识别的文字：{path}。请确认文件内容，扫描件需 OCR 识别。",
    "E117": "图片需要 OCR 识别：{path}。请安装 OCR 组件后重试。",
    "E118": "文件名编码无法识别，已按原始字节保留：{path}。",
    "E119": "台账文件无法读取：{path}（{detail}）。请用 Excel 另存为 .xlsx 或 UTF-8 编码的 .csv。",
    "E120": "台账缺少必需的列“{column}”：{path}。可用的列名：{known}。",
    "E121": "台账第 {row} 行的“{column}”无法识别：{value}。已忽略该值，请在台账中更正。",
    "E122": "Word 文件含有外部实体或异常的 XML 结构，已拒绝：{path}。请在 Word/WPS 中另存为新的 .docx。",
    "E123": "案卷中没有任何可读取的文件：{path}。",
    "E124": "案卷号 {case} 在档案中出现不止一处（{places}），已合并为一个案卷评查；内容相同的文件只读一次（E115）。如两处确为不同案卷，请更正其中一处的案卷号后重新评查。",
    "E130": "旧版 Office 文件经 LibreOffice 转换失败，未能读取：{path}（{detail}）。请在 Word/WPS/Excel 中打开后另存为 .docx 或 .xlsx 再重试。",
    "E131": "压缩包已加密（需要密码），无法读取：{path}。请解除压缩包的密码后重新打包，或把其中的文件直接放入案卷文件夹。",
    "E132": "压缩包中又包含压缩包，内层压缩包未解压读取：{path}。请把内层压缩包解压，将其中的文件直接放入案卷文件夹或外层压缩包后重新评查。",
    "E133": "案卷文件夹中有子文件夹“{folder}”，其中的 {count} 个文件已作为本案卷的文件一并读取：{path}。如该子文件夹其实是另一个案卷，请把它移到归档目录的顶层后重新评查。",
    "E134": "OFD 文件无法读取：{path}（{detail}）。请从原系统重新导出该文件，或另存为 PDF 后重试。",
    "E135": "图片过大（{detail}），已缩小到 {target} 后再进行 OCR 识别：{path}。如识别结果不清楚，请以 300 dpi 重新扫描。",
    "E136": "文件处理超过 {seconds} 秒仍未完成，已停止处理该文件：{path}。同一案卷的其他文件照常处理；请检查该文件是否过大或已损坏；确需更长时间时，可设置环境变量 ANJUAN_DOC_TIMEOUT=秒数（0 表示不限时）后重新评查。",
    "E150": "未安装 OCR 组件，无法识别扫描件或图片：{path}。请安装 RapidOCR（离线识别，模型随安装包提供）：pip install rapidocr onnxruntime；或安装 tesseract 中文版：sudo apt-get install -y tesseract-ocr tesseract-ocr-chi-sim（Windows 请安装 Tesseract-OCR 并勾选 chi_sim 语言包），再 pip install opencv-python-headless Pillow。",
    "E151": "OCR 引擎“{engine}”不可用：{path}。本机可用的引擎：{known}。请换用可用的引擎，或按 E150 的说明安装。",
    "E152": "图片过大（{detail}），超过 OCR 上限：{path}。请以 200–300 dpi 重新扫描，或把图片拆分后重试。",
    "E153": "第 {page} 页 OCR 可能漏行：图像中约有 {ink} 行文字，只识别出 {found} 行：{path}。请人工核对原件。",
    "E154": "第 {page} 页 OCR 识别置信度低（{confidence}）：{path}。识别结果可能有误，请人工核对原件，或提供更清晰的扫描件（建议 300 dpi）。",
    # --- extraction ----------------------------------------------------------------------
    "E201": "字段“{field}”在不同文书中不一致：{values}。已全部保留供核对。",
    "E202": "无法解析的日期“{text}”（{doc}）。已记为空，请人工核对。",
    "E203": "提取器数据文件 {path} 第 {line} 行：{problem}。请按文件开头的说明修改后重试。",
    "E210": "提取文书字段时出错，该文书的字段已留空：{doc}（{doc_type}，{detail}）。案卷其他文书照常读取和评查；请人工核对该文书，并把此信息报告给维护人员（加 --debug 可查看详细错误）。",
    # --- checks and rules ----------------------------------------------------------------
    "E301": "规则文件无法读取：{path}（{detail}）。请检查 YAML 格式。",
    "E302": "规则文件 {path} 第 {line} 行：键“{key}”{problem}。",
    "E304": "检查项 {check_id} 运行出错：{detail}。其他检查项不受影响；请把此信息报告给维护人员（加 --debug 可查看详细错误）。",
    "E305": "未知的检查项编号：{check_id}。可用 `anjuan checks list` 查看全部编号。",
    "E306": "{what}格式不正确：{value}。请写成 {form}。",
    "E307": "确认或排除问题时必须写明理由（--reason）：案卷 {case_id}，检查项 {check_id}。",
    "E308": "数据库 {path} 中没有案卷 {case_id}。请核对案卷编号，或先用 anjuan review --db {path} 评查该案卷。",
    "E310": "{years} 年的放假调休安排尚无官方数据（国务院办公厅当年的放假通知未收入规则数据），涉及该年的期间已按周末及法定节假日估算（未含调休上班日），所得期限需人工核对。通知公布后，请在规则文件的 calendar.years 中按 checks/data/rules.yaml 的格式补充 {year} 年的 holidays（放假日）和 workdays（调休上班日），再用 --rules 指定该文件重新评查。",
    # --- rendering -------------------------------------------------------------------------
    "E401": "模板 {template} 第 {line} 行出错：{detail}。请检查模板变量名。",
    "E402": "评分表文件 {path} 第 {line} 行：键“{key}”{problem}。请修改评分表后重试。",
    "E403": "评分表文件无法读取：{path}（{detail}）。请检查文件路径和 YAML 格式。",
    "E404": "文件无法写入：{path}（{detail}）。如该文件已在 Excel/Word/WPS 中打开，请关闭后重试。",
    "E405": "未找到中文字体，讲评会材料.docx 中的图表已省略（表格完整保留；HTML 版图表不受影响）。请安装中文字体后重新生成：sudo apt-get install -y fonts-noto-cjk（Windows 自带微软雅黑，无需安装；也可用环境变量 ANJUAN_CJK_FONT 指定字体文件）。",
    "E406": "讲评会材料设置文件无法读取：{path}（{detail}）。请检查 YAML 格式。",
    # --- database --------------------------------------------------------------------------
    "E420": "目录中已有合成案卷：{path}。请换一个空目录，或加 --overwrite 用新生成的案卷替换它（只删除该目录下的 archive 和 truth.jsonl）。",
    "E421": "演示目录 {path} 不是空目录，也不是 anjuan demo 生成的目录，为免误删已停止。请用 --out 指定一个新目录或空目录。",
    "E501": "数据库无法打开：{path}（{detail}）。请检查路径和权限，或用 --db 指定其他位置。",
    "E502": "数据库读写失败：{path}（{detail}）。请确认没有其他程序锁定该文件，或用 --db 指定其他位置。",
    "E510": "监督文书 {letter_id} 不存在。可用 `anjuan letters list` 查看全部文书及其编号。",
    "E511": "监督文书 {number} 当前状态为“{state}”，不能{action}。{hint}",
    "E512": "文书设置有误：{path}（{detail}）。请修改 letters.yaml 后重试。",
    "E513": "复核决定“{decision}”无效（案卷 {case_id}，检查项 {check_id}）。只能是 confirmed（确认）或 dismissed（排除）。",
    # --- the reviewer's workbench (anjuan serve) ---------------------------------------------
    "E601": ("工作台监听地址 {host} 允许局域网内其他电脑访问，必须同时设置口令：--password 口令"
             "（或 --password auto 由程序随机生成并在启动时显示）。只在本机使用时请去掉 --host（默认 127.0.0.1）。"),
    "E602": ("结果目录中没有 cases.jsonl：{path}。请先运行 anjuan review 案卷目录 --out 结果目录，"
             "再用 anjuan serve 结果目录 打开。"),
    "E603": "找不到该结果对应的案卷目录（{detail}）。请用 --archive 指定评查时使用的案卷目录。",
    "E604": "要素“{field}”不能在工作台更正。可更正的要素：{known}。",
    "E605": "表单校验码缺失或已过期，已拒绝该操作（防止其他网页冒用工作台）。请刷新页面后重试。",
    "E606": "案卷 {case_id} 不在本月结果中。请返回月度列表重新选择。",
    # --- internal --------------------------------------------------------------------------
    "E900": "处理文件时发生内部错误：{path}（{detail}）。其他文件继续处理；请把此信息报告给维护人员。",
}


def msg(code: str, **kwargs: object) -> str:
    """Format the message for ``code``, prefixed with ``[code]``."""
    template = MESSAGES[code]
    try:
        text = template.format(**kwargs)
    except KeyError as exc:  # a missing keyword must not hide the real problem
        text = template + f"（缺少参数 {exc}）"
    return f"[{code}] {text}"


class AnjuanError(Exception):
    """A domain error with a code; the CLI shows ``str(err)`` to the reviewer."""

    def __init__(self, code: str, **kwargs: object) -> None:
        self.code = code
        self.kwargs = kwargs
        super().__init__(msg(code, **kwargs))

    def __reduce__(self) -> tuple[object, ...]:
        # picklable across processes (spawn workers) whatever the subclass's __init__ takes
        return (_restore, (type(self), self.args, dict(self.__dict__)))


def _restore(cls: type[AnjuanError], args: tuple[object, ...], state: dict[str, object]) -> AnjuanError:
    err = Exception.__new__(cls)
    err.args = args
    err.__dict__.update(state)
    return err


class ReadError(AnjuanError):
    """A file could not be read; becomes an entry in the case's ``errors``."""

    def __init__(self, code: str, path: str, **kwargs: object) -> None:
        self.path = path
        super().__init__(code, path=path, **kwargs)


class RulesError(AnjuanError):
    pass


class DataFileError(AnjuanError):
    """A data file shipped with the extractors (labels, precedence) is malformed (E203)."""

    def __init__(self, path: str, line: int, problem: str) -> None:
        super().__init__("E203", path=path, line=line, problem=problem)

