/** The language_info of Quarry's kernel (kernel_info replies and notebook metadata). */
export const LANGUAGE_INFO = {
  name: 'kusto',
  version: '1.0',
  mimetype: 'text/x-kusto',
  file_extension: '.kql',
  // Pygments' Kusto lexer (2.17+) colours KQL in nbconvert; CodeMirror has no KQL mode: SQL is closest.
  pygments_lexer: 'kusto',
  codemirror_mode: 'sql',
};
