/** Offers a file to the user: the browser's download, or the desktop app's save dialog. */
export function download(file: { fileName: string; content: string }): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([file.content], { type: 'application/json' }));
  link.download = file.fileName;
  link.click();
  URL.revokeObjectURL(link.href);
}
